namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>A download's end: the file holding every verified piece, or the reason it was refused.</summary>
public sealed record FetchOutcome(string? Path, string? Refusal, ArtifactTraffic Traffic)
{
    public static FetchOutcome Refused(string reason) => new(null, reason, default);
}
