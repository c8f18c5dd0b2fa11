namespace Lunar.Dtn.Orchestration;

public enum ReportStatus
{
    /// <summary>Recorded.</summary>
    Accepted,
    /// <summary>The same report again (a retry after a lost answer): nothing changed.</summary>
    Duplicate,
    /// <summary>The server is not known here: register first.</summary>
    UnknownAgent,
    /// <summary>The report is malformed.</summary>
    Invalid,
    /// <summary>Out of order, replayed, for a stale attempt, or the executor timed the attempt out: nothing changed.</summary>
    Conflict,
    /// <summary>A registration that would change what the server is (site, cluster, tier, redundancy group, staging): nothing changed.</summary>
    Refused,
}

/// <summary>What the executor made of an agent's report, with the server's phase as the executor sees it.</summary>
public sealed record ReportOutcome(ReportStatus Status, string Phase, string? Problem = null);
