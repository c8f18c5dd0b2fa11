using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lunar.Dtn.Security;

/// <summary>
/// The constellation file: every node's and approver's public key and role, the keys revoked so far,
/// a version, and the root key that signs each version (a new version — rotation or revocation — is
/// signed by the current root, as TUF rotates its root). Holds public keys only.
/// </summary>
public sealed record Constellation
{
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    [JsonPropertyName("root")] public string Root { get; init; } = "";
    [JsonPropertyName("nodes")] public IReadOnlyList<Principal> Nodes { get; init; } = [];
    [JsonPropertyName("approvers")] public IReadOnlyList<Principal> Approvers { get; init; } = [];
    [JsonPropertyName("revokedKeys")] public IReadOnlyList<string> RevokedKeys { get; init; } = [];
    [JsonPropertyName("signature")] public string Signature { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public TrustStore ToTrustStore() => new(Version, Nodes, Approvers, RevokedKeys);

    /// <summary>Signs this version with the root key.</summary>
    public Constellation SignWith(NodeKey root)
    {
        var unsigned = this with { Root = root.PublicKeyHex, Signature = "" };
        return unsigned with { Signature = Convert.ToHexStringLower(root.Sign(unsigned.SigningBytes())) };
    }

    /// <summary>Null when the file is signed by its own root key, else why not.</summary>
    public string? CheckSignature()
    {
        if (Root.Length != 64) return "the constellation has no root public key";
        byte[] sig;
        try { sig = Convert.FromHexString(Signature); } catch (FormatException) { return "the constellation's signature is not hex"; }
        return NodeKey.Verify(Convert.FromHexString(Root), SigningBytes(), sig) ? null : "the constellation's signature does not match its root key";
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static Constellation Load(string path)
    {
        Constellation? c;
        try { c = JsonSerializer.Deserialize<Constellation>(File.ReadAllText(path)); }
        catch (JsonException ex) { throw new FormatException($"{path} is not a constellation file: {ex.Message}"); }
        if (c is null) throw new FormatException($"{path} is empty");
        var problem = c.CheckSignature() ?? c.CheckShape();
        if (problem is not null) throw new FormatException($"{path}: {problem}");
        return c;
    }

    private string? CheckShape()
    {
        foreach (var p in Nodes.Concat(Approvers))
        {
            if (string.IsNullOrWhiteSpace(p.Id)) return "a principal has no id";
            if (p.PublicKey is null || p.PublicKey.Length != 64) return $"'{p.Id}' has no 32-byte hex public key";
        }
        var dup = Nodes.Concat(Approvers).GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? null : $"'{dup.Key}' appears twice";
    }

    private byte[] SigningBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this with { Signature = "" }));
}
