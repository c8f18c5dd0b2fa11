using System.Security.Cryptography;
using System.Text;
using Lunar.Dtn.Model;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

/// <summary>
/// A signed constellation for tests: nodes with their simulation keys, approvers alice (flight-director), bob and
/// dave (base-lead), and deterministic root keys, so tests can sign next versions, rotations and forgeries.
/// </summary>
public static class SignedConstellations
{
    public static NodeKey Root { get; } = KeyOf("root");

    /// <summary>A second root, for rotations, and a key that is no root at all, for forgeries.</summary>
    public static NodeKey NewRoot { get; } = KeyOf("root-2");

    public static NodeKey Stranger { get; } = KeyOf("stranger");

    public static NodeKey KeyOf(string id) => NodeKey.FromSeed(id, SHA256.HashData(Encoding.UTF8.GetBytes("lunar-dtn-test-principal:" + id)));

    public static Constellation Version1(params string[] nodes) => new Constellation
    {
        Version = 1,
        Nodes = nodes.Select(id => new Principal(id, "node", TestNodes.KeyFor(id).PublicKeyHex)).ToArray(),
        Approvers =
        [
            new Principal("alice", "flight-director", KeyOf("alice").PublicKeyHex),
            new Principal("bob", "base-lead", KeyOf("bob").PublicKeyHex),
            new Principal("dave", "base-lead", KeyOf("dave").PublicKeyHex),
        ],
    }.SignWith(Root);

    /// <summary>The next version after <paramref name="current"/> with <paramref name="change"/> applied, signed by <paramref name="signer"/> (default: the root).</summary>
    public static Constellation Next(Constellation current, Func<Constellation, Constellation> change, NodeKey? signer = null, string? newRoot = null) =>
        (change(current) with { Version = current.Version + 1, Signature = "" }).SignWith(signer ?? Root, newRoot);

    public static Constellation Revoking(Constellation current, string id, NodeKey? signer = null) =>
        Next(current, c => c with { RevokedKeys = [.. c.RevokedKeys, c.Nodes.Concat(c.Approvers).Single(p => p.Id == id).PublicKey] }, signer);

    public static Constellation AddingApprover(Constellation current, string id, string role, NodeKey? signer = null) =>
        Next(current, c => c with { Approvers = [.. c.Approvers, new Principal(id, role, KeyOf(id).PublicKeyHex)] }, signer);

    public static ConstellationRecord Record(Constellation c) => new(c.Version, c.ToJsonBytes());

    /// <summary>A signed approval of <paramref name="campaign"/> at its current content hash, by a test approver.</summary>
    public static ApprovalRecord Approval(string campaign, string contentHash, string approver, string role, long signedAtMs = 1_800_000_000_000)
    {
        using var key = KeyOf(approver);
        var signature = key.Sign(ApprovalRecord.SigningBytes(campaign, contentHash, ApprovalDecision.Approve, approver, role, signedAtMs));
        return new ApprovalRecord(ApprovalRecord.IdFor(signature), campaign, contentHash, ApprovalDecision.Approve, approver, role, signedAtMs, signature);
    }
}
