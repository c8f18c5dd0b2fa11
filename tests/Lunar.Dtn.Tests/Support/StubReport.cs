using Lunar.Dtn.Orchestration;

namespace Lunar.Dtn.Tests.Support;

/// <summary>One report the <see cref="StubExecutor"/> received, how it answered, and when (stub clock).</summary>
public sealed record StubReport(AgentReport Report, int Status, bool Duplicate, DateTimeOffset At)
{
    public bool Accepted => Status == 200 && !Duplicate && Report.CampaignId is not null;

    public override string ToString() => $"{Report.Phase} seq {Report.Seq} → {Status}{(Duplicate ? " duplicate" : "")} ({Report.Detail})";
}
