using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Orchestration;

/// <summary>
/// Quorum is a pure function of the approval set, the revocation set, the constellation and the
/// campaign's current content: every node computes it itself and checks every signature itself.
/// An approval counts only if it approves the campaign's current content hash, is validly signed by a
/// known, unrevoked approver holding the role it claims, and has not been revoked.
/// </summary>
public static class ApprovalQuorum
{
    public static QuorumResult Evaluate(ReplicaState state, string campaignId, TrustStore trust, QuorumPolicy policy)
    {
        var counted = new List<CountedApproval>();
        var refused = new List<RefusedApproval>();
        state.Campaigns.TryGetValue(campaignId, out var campaign);
        var contentHash = campaign?.Definition?.ContentHash(campaignId);
        var revoked = state.Revocations.Values.Select(r => r.ApprovalId).ToHashSet(StringComparer.Ordinal);
        foreach (var a in state.Approvals.Values.Where(a => a.CampaignId == campaignId))
        {
            var reason = Check(a, contentHash, revoked, trust);
            if (reason is null) counted.Add(new CountedApproval(a.Id, a.ApproverId, a.ApproverRole, a.SignedAtMs));
            else refused.Add(new RefusedApproval(a.Id, a.ApproverId, reason));
        }
        // One vote per approver, however many times they signed.
        var signers = counted.GroupBy(c => c.ApproverId).Select(g => g.First()).ToArray();
        var missing = new List<string>();
        if (signers.Length < policy.Required) missing.Add($"{policy.Required - signers.Length} more signer(s) of {policy.Required}");
        foreach (var role in policy.Roles)
            if (!signers.Any(s => s.Role == role)) missing.Add($"a {role}");
        return new QuorumResult(missing.Count == 0, signers, refused, missing);
    }

    /// <summary>Null if the approval counts, else why not.</summary>
    public static string? Check(ApprovalRecord a, string? contentHash, ISet<string> revokedApprovals, TrustStore trust) =>
        a.Decision != ApprovalDecision.Approve ? "it is a rejection" : Verify(a, contentHash, revokedApprovals, trust);

    /// <summary>
    /// Null if the record (an approval or a rejection) is authentic and current: a known approver in the role it claims,
    /// its signature over its own decision, the campaign's current content, not revoked. Else why not.
    /// </summary>
    public static string? Verify(ApprovalRecord a, string? contentHash, ISet<string> revokedApprovals, TrustStore trust)
    {
        var key = trust.ApproverKey(a.ApproverId);
        if (!key.Ok) return key.Problem;
        if (key.Principal!.Role != a.ApproverRole) return $"'{a.ApproverId}' is a {key.Principal.Role}, not a {a.ApproverRole}";
        if (!Security.NodeKey.Verify(key.PublicKey, a.SigningBytes(), a.Signature)) return "the signature does not match the approver's key";
        if (a.Id != ApprovalRecord.IdFor(a.Signature)) return "the approval's id does not match its signature";
        if (contentHash is null) return "the campaign is unknown here";
        if (a.ContentHash != contentHash) return "it approves another version of the campaign (its content changed after signing)";
        if (revokedApprovals.Contains(a.Id)) return "it was revoked";
        return null;
    }
}
