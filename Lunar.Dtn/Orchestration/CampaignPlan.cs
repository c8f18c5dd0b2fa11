using Lunar.Dtn.Model;

namespace Lunar.Dtn.Orchestration;

/// <summary>The executor's working view of one campaign: its rules, its candidates in start order, what is under way, recent outcomes.</summary>
internal sealed class CampaignPlan
{
    /// <summary>A server not yet started, with what the rules need to know of it (read once per re-plan, not per pass).</summary>
    public readonly record struct Candidate(string Id, int Tier, string Group);

    public required string Id { get; init; }
    public required CampaignDefinition Definition { get; init; }
    public required CampaignSelector Selector { get; init; }
    public ArtifactRecord? Artifact { get; init; }
    public CampaignControl? Control { get; init; }
    public long RunSinceMs { get; init; }
    public long CreatedStamp { get; init; }
    public bool ApprovalRequired { get; init; }
    public bool QuorumHolds { get; init; }
    public int BatchSize { get; init; }
    public int Concurrency { get; init; }
    public AnomalyPolicy? Anomaly { get; init; }
    public IReadOnlyList<MaintenanceWindow> Tier2Windows { get; init; } = [];

    /// <summary>Servers not yet started, staging first, then Tier 1 (the critical path), Tier 2, Tier 3.</summary>
    public List<Candidate> Candidates { get; } = [];
    public HashSet<string> UnderWay { get; } = new(StringComparer.Ordinal);
    public int Targets { get; set; }
    public int Finished { get; set; }
    public int StagingTotal { get; set; }
    public int StagingFinished { get; set; }
    public int StagingRolledBack { get; set; }

    /// <summary>Outcomes (true = failed) of servers finished since the campaign last started or resumed, newest last.</summary>
    public Queue<bool> Recent { get; } = new();

    public bool Completed => Targets > 0 && Finished == Targets;

    public void NoteOutcome(bool failed)
    {
        Recent.Enqueue(failed);
        while (Anomaly is { } a && Recent.Count > a.Window) Recent.Dequeue();
    }

    /// <summary>The anomaly rule: over the last window outcomes (once there are that many), the failed share exceeds the rate.</summary>
    public bool AnomalyTripped(out int failed, out int window)
    {
        failed = Recent.Count(f => f);
        window = Anomaly?.Window ?? 0;
        return Anomaly is { } a && Recent.Count >= a.Window && failed > a.FailureRate * a.Window;
    }
}
