using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// A server's upgrade status. Single writer (the owning executor): the highest (attempt, sequence) wins,
/// where <see cref="Seq"/> counts that writer's updates to this server. Six transitions of one server
/// therefore cross a link as one final state.
/// </summary>
[MessagePackObject]
public sealed record ServerStatus(
    [property: Key(0)] string CampaignId,
    [property: Key(1)] int Attempt,
    [property: Key(2)] long Seq,
    [property: Key(3)] UpgradePhase Phase,
    [property: Key(4)] long SinceMs,
    [property: Key(5)] string? Version,
    [property: Key(6)] string? Detail,
    [property: Key(7)] int RollbackCount)
{
    /// <summary>Final phase reached in earlier campaigns, so a server finished by one campaign is not upgraded again by it.</summary>
    [Key(8)] public IReadOnlyDictionary<string, UpgradePhase>? Outcomes { get; init; }

    /// <summary>The highest report sequence number the agent sent for this attempt (a retried report is recognised).</summary>
    [Key(9)] public long AgentSeq { get; init; }

    /// <summary>The final phase this server reached in <paramref name="campaignId"/>, if any.</summary>
    public UpgradePhase? OutcomeOf(string campaignId) =>
        CampaignId == campaignId && Phase.IsFinal() ? Phase : Outcomes?.TryGetValue(campaignId, out var p) == true ? p : null;

    /// <summary>The outcomes carried forward when this status is replaced by one for another campaign.</summary>
    public IReadOnlyDictionary<string, UpgradePhase>? OutcomesForNext()
    {
        if (!Phase.IsFinal()) return Outcomes;
        var next = new SortedDictionary<string, UpgradePhase>(StringComparer.Ordinal);
        foreach (var (k, v) in Outcomes ?? new Dictionary<string, UpgradePhase>()) next[k] = v;
        next[CampaignId] = Phase;
        return next;
    }

    public bool Equals(ServerStatus? other) =>
        other is not null && CampaignId == other.CampaignId && Attempt == other.Attempt && Seq == other.Seq && Phase == other.Phase &&
        SinceMs == other.SinceMs && Version == other.Version && Detail == other.Detail && RollbackCount == other.RollbackCount &&
        AgentSeq == other.AgentSeq &&
        (Outcomes ?? EmptyOutcomes).OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual((other.Outcomes ?? EmptyOutcomes).OrderBy(kv => kv.Key, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(CampaignId, Attempt, Seq, Phase, SinceMs);

    private static readonly IReadOnlyDictionary<string, UpgradePhase> EmptyOutcomes = new Dictionary<string, UpgradePhase>();

    public static ServerStatus? Merge(ServerStatus? a, ServerStatus? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var c = a.Attempt.CompareTo(b.Attempt);
        if (c == 0) c = a.Seq.CompareTo(b.Seq);
        if (c == 0) c = ValueOrder.Compare(a, b);
        return c >= 0 ? a : b;
    }
}
