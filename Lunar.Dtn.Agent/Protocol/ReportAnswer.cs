namespace Lunar.Dtn.Agent.Protocol;

/// <summary>The node's answer to one report. <see cref="NodePhase"/> is the answer's <c>phase</c>, or a 409 problem's <c>phase</c> extension.</summary>
public sealed record ReportAnswer(ReportAnswerKind Kind, int Status, string? NodePhase, bool Duplicate, string Detail)
{
    public static ReportAnswer Transient(string why) => new(ReportAnswerKind.Transient, 0, null, false, why);
}
