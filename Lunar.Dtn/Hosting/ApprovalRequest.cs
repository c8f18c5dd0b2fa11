using Lunar.Dtn.Model;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The body of POST /api/v1/approvals/{campaignId}: an approval the approver signed with their own key
/// over <see cref="ApprovalRecord.SigningBytes(string,string,ApprovalDecision,string,string,long)"/>
/// (the CLI's <c>approve</c> verb makes one).
/// </summary>
public sealed record ApprovalRequest(string? ApproverId, string? Role, string? ContentHash, string? Decision, long? SignedAtMs, string? Signature)
{
    public ApprovalRecord? ToRecord(string campaignId, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(ApproverId) || string.IsNullOrWhiteSpace(Role) || string.IsNullOrWhiteSpace(ContentHash) || SignedAtMs is null || string.IsNullOrWhiteSpace(Signature))
        {
            problem = "approverId, role, contentHash, signedAtMs and signature are required";
            return null;
        }
        var bounds = BodyLimits.ApprovalFields;
        problem = BodyLimits.TooLong("approverId", ApproverId, bounds["approverId"]) ?? BodyLimits.TooLong("role", Role, bounds["role"])
            ?? BodyLimits.TooLong("contentHash", ContentHash, bounds["contentHash"]) ?? BodyLimits.TooLong("decision", Decision, bounds["decision"])
            ?? BodyLimits.TooLong("signature", Signature, bounds["signature"]);
        if (problem is not null) return null;
        var decision = (Decision ?? "approve").ToLowerInvariant() switch
        {
            "approve" => ApprovalDecision.Approve,
            "reject" => ApprovalDecision.Reject,
            _ => (ApprovalDecision?)null,
        };
        if (decision is null) { problem = $"decision '{Decision}' is neither 'approve' nor 'reject'"; return null; }
        byte[] sig;
        try { sig = Convert.FromHexString(Signature); }
        catch (FormatException) { problem = "signature is not hex"; return null; }
        if (sig.Length != 64) { problem = $"signature is {sig.Length} bytes; an Ed25519 signature is 64"; return null; }
        return new ApprovalRecord(ApprovalRecord.IdFor(sig), campaignId, ContentHash, decision.Value, ApproverId, Role, SignedAtMs.Value, sig);
    }
}
