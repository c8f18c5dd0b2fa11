using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Hosting;

/// <summary>The JSON of GET /api/v1/approvals/{campaignId}: the quorum, who counted and why others did not.</summary>
public sealed record ApprovalsView(string CampaignId, string? ContentHash, bool QuorumHolds, IReadOnlyList<CountedApproval> Counted, IReadOnlyList<RefusedApproval> Refused, IReadOnlyList<string> Missing)
{
    public static ApprovalsView Of(Replica r, string campaignId, QuorumPolicy policy) => r.Read((s, _) =>
    {
        var q = ApprovalQuorum.Evaluate(s, campaignId, r.Trust, policy);
        var hash = s.Campaigns.GetValueOrDefault(campaignId)?.Definition?.ContentHash(campaignId);
        return new ApprovalsView(campaignId, hash, q.Holds, q.Counted, q.Refused, q.Missing);
    });
}
