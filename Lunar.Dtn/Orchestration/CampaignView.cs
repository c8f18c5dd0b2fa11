using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Orchestration;

/// <summary>A campaign as operators see it: its definition, derived state, progress and conflicts.</summary>
public sealed record CampaignView(
    string Id,
    string Name,
    string ArtifactId,
    string State,
    string? Control,
    IReadOnlyDictionary<string, int> Progress,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ProgressByTier,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ProgressBySite,
    CampaignSelector Selector,
    int BatchSize,
    int ConcurrencyLimit,
    AnomalyPolicy? PauseOnAnomaly,
    IReadOnlyList<MaintenanceWindow> Tier2Windows,
    bool ApprovalRequired,
    string ContentHash,
    bool QuorumNeeded,
    bool QuorumHolds,
    IReadOnlyList<string> Conflicts,
    string? CreatedBy)
{
    public const int DefaultBatchSize = 50;
    public const int DefaultConcurrency = 30;

    public static CampaignView? Build(ReplicaState state, string id, TrustStore trust, QuorumPolicy policy)
    {
        if (!state.Campaigns.TryGetValue(id, out var record) || record.Definition is not { } d) return null;
        var selector = d.Selector?.Value ?? CampaignSelector.All;
        var targets = CampaignLifecycle.Targets(state, selector).ToArray();
        var progress = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byTier = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var bySite = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var finished = 0;
        var anyTier1 = false;
        foreach (var (_, server) in targets)
        {
            var phase = server.Status is { } s ? (s.CampaignId == id ? s.Phase : s.OutcomeOf(id) ?? UpgradePhase.Idle) : UpgradePhase.Idle;
            if (phase.IsFinal()) finished++;
            var tier = server.Inventory?.Tier?.Value ?? 3;
            anyTier1 |= tier == 1;
            var name = phase.ToName();
            Bump(progress, name);
            Bump(Bucket(byTier, tier.ToString(System.Globalization.CultureInfo.InvariantCulture)), name);
            Bump(Bucket(bySite, server.Inventory?.Site?.Value ?? "?"), name);
        }
        var approvalRequired = d.ApprovalRequired?.Value ?? true;
        var quorumNeeded = approvalRequired || anyTier1;
        var quorum = ApprovalQuorum.Evaluate(state, id, trust, policy);
        var control = record.EffectiveControl;
        var conflicts = state.Audit.Values
            .Where(a => a.Action == "control-conflict" && a.Details.Contains($"campaign {id}:", StringComparison.Ordinal))
            .OrderBy(a => a.Stamp).Select(a => $"{a.Replica}: {a.Details}").ToArray();
        return new CampaignView(id, d.Name?.Value ?? "", d.ArtifactId?.Value ?? "",
            CampaignLifecycle.Derive(control, quorumNeeded, quorum.Holds, targets.Length, finished).ToName(),
            control?.ToString().ToLowerInvariant(), progress, byTier, bySite, selector,
            d.BatchSize?.Value ?? DefaultBatchSize, d.ConcurrencyLimit?.Value ?? DefaultConcurrency,
            d.PauseOnAnomaly?.Value, d.Tier2Windows?.Value ?? [], approvalRequired, d.ContentHash(id),
            quorumNeeded, quorum.Holds, conflicts, d.CreatedBy?.Value);
    }

    private static void Bump(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    private static IDictionary<string, int> Bucket(SortedDictionary<string, IReadOnlyDictionary<string, int>> map, string key)
    {
        if (!map.TryGetValue(key, out var b)) map[key] = b = new SortedDictionary<string, int>(StringComparer.Ordinal);
        return (IDictionary<string, int>)b;
    }
}
