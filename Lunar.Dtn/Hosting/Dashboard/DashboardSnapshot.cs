using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Hosting.Dashboard;

/// <summary>
/// Everything the dashboard shows at one moment, in one JSON document (GET /api/v1/dashboard, and each event of
/// GET /api/v1/events): campaigns with progress, approvals and their quorum, servers needing attention, the link
/// and replication state, resolved conflicts, artifacts, and the certificates that stop acting within 60 days
/// (<see cref="CertificateExpiry"/>: the dashboard shows a warning banner while there are any). <see cref="Revision"/> changes whenever the replica does.
/// </summary>
public sealed record DashboardSnapshot(
    string Node, string Role, DateTimeOffset Now, long Revision,
    IReadOnlyList<CampaignView> Campaigns,
    IReadOnlyList<ApprovalsView> Approvals,
    IReadOnlyList<AttentionServer> Attention, int AttentionTotal,
    IReadOnlyList<AuditView> Conflicts,
    IReadOnlyList<ArtifactRecord> Artifacts,
    SyncView Sync,
    IReadOnlyList<CertificateExpiry> Expiring, int ExpiringTotal)
{
    /// <summary>At most this many expiring certificates travel in one snapshot (the soonest first); the total says how many there are.</summary>
    public const int ExpiringLimit = 20;

    /// <summary>At most this many servers needing attention travel in one snapshot (the newest first); the total says how many there are.</summary>
    public const int AttentionLimit = 200;

    private static readonly HashSet<UpgradePhase> NeedAttention = [UpgradePhase.Failed, UpgradePhase.RollingBack, UpgradePhase.RolledBack, UpgradePhase.TimedOut];

    public static DashboardSnapshot Of(Replica r, NodeIdentity me, NodeLinks? links, QuorumPolicy policy)
    {
        var trust = r.Trust;
        var (campaigns, attention, total, conflicts, artifacts, revision) = r.Read((s, v) =>
        {
            var views = s.Campaigns.Keys.Select(id => CampaignView.Build(s, id, trust, policy)).OfType<CampaignView>()
                .OrderByDescending(c => s.Campaigns[c.Id].Definition?.Name?.Stamp.Value ?? 0).ToArray();
            var needing = s.Servers.Where(kv => kv.Value.Status is { } st && NeedAttention.Contains(st.Phase)).ToArray();
            var shown = needing.OrderByDescending(kv => kv.Value.Status!.SinceMs).Take(AttentionLimit).Select(kv =>
            {
                var st = kv.Value.Status!;
                var inv = kv.Value.Inventory;
                return new AttentionServer(kv.Key, st.CampaignId, st.Attempt, st.Phase.ToName(), DateTimeOffset.FromUnixTimeMilliseconds(st.SinceMs), st.Detail,
                    inv?.Site?.Value, inv?.Tier?.Value, st.RollbackCount);
            }).ToArray();
            var resolved = s.Audit.Values.Where(a => a.Action == "control-conflict").OrderByDescending(a => a.Stamp).Take(50).Select(AuditView.Of).ToArray();
            return (views, shown, needing.Length, resolved, s.Artifacts.Values.OrderByDescending(a => a.CreatedAtMs).ToArray(), v.Total);
        });
        var approvals = campaigns.Where(c => c.QuorumNeeded).Select(c => ApprovalsView.Of(r, c.Id, policy)).ToArray();
        var sync = SyncView.Of(r, me, links, links?.Receiver);
        var expiring = CertificateExpiry.All(trust, me, sync.Now).Where(e => e.Due).ToArray();
        return new DashboardSnapshot(me.Id, me.Role.ToString().ToLowerInvariant(), sync.Now, revision, campaigns, approvals, attention, total, conflicts, artifacts, sync,
            expiring.Take(ExpiringLimit).ToArray(), expiring.Length);
    }
}
