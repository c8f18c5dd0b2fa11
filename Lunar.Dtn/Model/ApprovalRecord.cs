using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// A signed approval: the approver's Ed25519 signature over <see cref="SigningBytes"/>, which binds the
/// campaign's content hash. It keeps its own signature wherever it travels, so every node checks it
/// itself. The id is derived from the signature, so the same approval is the same record everywhere.
/// </summary>
[MessagePackObject]
public sealed record ApprovalRecord(
    [property: Key(0)] string Id,
    [property: Key(1)] string CampaignId,
    [property: Key(2)] string ContentHash,
    [property: Key(3)] ApprovalDecision Decision,
    [property: Key(4)] string ApproverId,
    [property: Key(5)] string ApproverRole,
    [property: Key(6)] long SignedAtMs,
    [property: Key(7)] byte[] Signature)
{
    /// <summary>The exact bytes an approver signs.</summary>
    public static byte[] SigningBytes(string campaignId, string contentHash, ApprovalDecision decision, string approverId, string role, long signedAtMs) =>
        System.Text.Encoding.UTF8.GetBytes($"lunar-dtn/approval/v1\n{campaignId}\n{contentHash}\n{decision}\n{approverId}\n{role}\n{signedAtMs}");

    public byte[] SigningBytes() => SigningBytes(CampaignId, ContentHash, Decision, ApproverId, ApproverRole, SignedAtMs);

    public static string IdFor(byte[] signature) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(signature))[..32];
}
