using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Hosting;

/// <summary>The JSON of GET /api/v1/servers/{id}/state.</summary>
public sealed record ServerView(
    string Id, string? CampaignId, int Attempt, string Phase, DateTimeOffset? Since, string? Version, string? Detail, int RollbackCount,
    string? Site, string? Cluster, int? Tier, string? RedundancyGroup, bool Staging, string? OwnerNode, string? Note,
    IReadOnlyList<AuditView> RecentLog)
{
    public static ServerView Of(string id, ServerRecord s, ReplicaState state)
    {
        var st = s.Status;
        var inv = s.Inventory;
        var log = state.Audit.Values.Where(a => a.Details.Contains(id, StringComparison.Ordinal)).OrderBy(a => a.Stamp).TakeLast(20).Select(AuditView.Of).ToArray();
        return new ServerView(id, st?.CampaignId, st?.Attempt ?? 0, (st?.Phase ?? UpgradePhase.Idle).ToName(),
            st is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(st.SinceMs), st?.Version, st?.Detail, st?.RollbackCount ?? 0,
            inv?.Site?.Value, inv?.Cluster?.Value, inv?.Tier?.Value, inv?.RedundancyGroup?.Value, inv?.Staging?.Value ?? false, inv?.OwnerNode?.Value,
            s.Note?.Value, log);
    }
}
