using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lunar.Dtn.Security;

/// <summary>
/// The constellation file: every node's and approver's public key and role, the keys revoked so far,
/// a version, and the root key that signs the next version (a new version — rotation or revocation — is
/// signed by the root of the version before it, as TUF rotates its root). Holds public keys only.
/// </summary>
/// <remarks>
/// The chain: version N+1 is signed by the root key of version N. Usually both name the same root; a root
/// rotation is a version whose <see cref="Root"/> is a new key, signed by the old one, and says so in
/// <see cref="SignedBy"/> (absent when the signer is the version's own root, so files made before rotation
/// existed keep their bytes and their signature).
/// </remarks>
public sealed record Constellation
{
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    [JsonPropertyName("root")] public string Root { get; init; } = "";
    [JsonPropertyName("signedBy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SignedBy { get; init; }
    [JsonPropertyName("nodes")] public IReadOnlyList<Principal> Nodes { get; init; } = [];
    [JsonPropertyName("approvers")] public IReadOnlyList<Principal> Approvers { get; init; } = [];
    [JsonPropertyName("revokedKeys")] public IReadOnlyList<string> RevokedKeys { get; init; } = [];

    /// <summary>The TLS certificate authority (PEM) every certificate of this constellation must chain to.</summary>
    [JsonPropertyName("ca")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ca { get; init; }

    /// <summary>People who use the REST API and dashboard without approving: roles viewer, operator, admin.</summary>
    [JsonPropertyName("operators")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Principal>? Operators { get; init; }

    /// <summary>One agent per server id (role agent): it may act only for its own server.</summary>
    [JsonPropertyName("agents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Principal>? Agents { get; init; }
    [JsonPropertyName("signature")] public string Signature { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The key that made <see cref="Signature"/>: <see cref="SignedBy"/>, or the version's own root.</summary>
    [JsonIgnore] public string Signer => SignedBy ?? Root;

    public TrustStore ToTrustStore() => new(Version, Nodes, Approvers, RevokedKeys)
    {
        Source = this,
        Operators = Operators ?? [],
        Agents = Agents ?? [],
        AuthorityPem = Ca,
    };

    /// <summary>Every principal of every list.</summary>
    [JsonIgnore]
    public IEnumerable<Principal> AllPrincipals => Nodes.Concat(Approvers).Concat(Operators ?? []).Concat(Agents ?? []);

    /// <summary>
    /// Signs this version with <paramref name="signer"/>, the root of the previous version (or, for a first
    /// version, its own root). With <paramref name="newRoot"/> (hex) this version rotates the root to that key.
    /// </summary>
    public Constellation SignWith(NodeKey signer, string? newRoot = null)
    {
        var root = (newRoot ?? signer.PublicKeyHex).ToLowerInvariant();
        var unsigned = this with { Root = root, SignedBy = root == signer.PublicKeyHex ? null : signer.PublicKeyHex, Signature = "" };
        return unsigned with { Signature = Convert.ToHexStringLower(signer.Sign(unsigned.SigningBytes())) };
    }

    /// <summary>Null when the file is intact: its signature verifies with its signer's key. Else why not.</summary>
    public string? CheckSignature()
    {
        if (Root is null || Root.Length != 64) return "the constellation has no root public key";
        if (Signer.Length != 64) return "the constellation's signedBy is not a 32-byte hex public key";
        byte[] sig, signer;
        try { sig = Convert.FromHexString(Signature ?? ""); signer = Convert.FromHexString(Signer); }
        catch (FormatException) { return "the constellation's signature or signer is not hex"; }
        return NodeKey.Verify(signer, SigningBytes(), sig) ? null
            : SignedBy is null ? "the constellation's signature does not match its root key" : "the constellation's signature does not match its signedBy key";
    }

    /// <summary>
    /// Null when this version is the next link after <paramref name="previous"/>: version previous+1, signed by
    /// previous's root key, signature valid, principals well formed. Else why not.
    /// </summary>
    public string? CheckSuccessorOf(Constellation previous)
    {
        if (Version != previous.Version + 1)
            return $"constellation version {Version} does not follow version {previous.Version} (the next version is {previous.Version + 1})";
        if (!string.Equals(Signer, previous.Root, StringComparison.OrdinalIgnoreCase))
            return $"constellation version {Version} is signed by key {Short(Signer)}, not by the root key {Short(previous.Root)} of version {previous.Version}";
        return CheckSignature() is { } bad ? $"constellation version {Version}: {bad}" : CheckShape() is { } shape ? $"constellation version {Version}: {shape}" : null;
    }

    /// <summary>The same signed version (compared on canonical JSON, so formatting of the source does not matter).</summary>
    public bool SameAs(Constellation other) => ToJson() == other.ToJson();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The canonical bytes a replicated record holds.</summary>
    public byte[] ToJsonBytes() => Encoding.UTF8.GetBytes(ToJson());

    /// <summary>Parses and checks signature and shape; <see cref="FormatException"/> saying what is wrong.</summary>
    public static Constellation Parse(string json)
    {
        Constellation? c;
        try { c = JsonSerializer.Deserialize<Constellation>(json); }
        catch (JsonException ex) { throw new FormatException($"not a constellation: {ex.Message}"); }
        if (c is null) throw new FormatException("the constellation is empty");
        var problem = c.CheckShape() ?? c.CheckSignature();
        if (problem is not null) throw new FormatException(problem);
        return c;
    }

    public static Constellation Load(string path)
    {
        try { return Parse(File.ReadAllText(path)); }
        catch (FormatException ex) { throw new FormatException($"{path}: {ex.Message}"); }
    }

    /// <summary>
    /// Null when every list is present, every principal has an id, a role of its list and (nodes and approvers) a 32-byte
    /// hex Ed25519 key, every TLS fingerprint is 32-byte hex, and no id appears twice. Else why not.
    /// </summary>
    public string? CheckShape()
    {
        if (Version < 1) return $"the version must be at least 1 (got {Version})";
        if (Nodes is null || Approvers is null || RevokedKeys is null) return "the constellation lacks its nodes, approvers or revokedKeys list";
        foreach (var p in Nodes.Concat(Approvers))
        {
            if (p is null || string.IsNullOrWhiteSpace(p.Id)) return "a principal has no id";
            if (p.PublicKey is null || p.PublicKey.Length != 64 || !IsHex(p.PublicKey)) return $"'{p.Id}' has no 32-byte hex public key";
            if (string.IsNullOrWhiteSpace(p.Role)) return $"'{p.Id}' has no role";
        }
        foreach (var p in (Operators ?? []).Concat(Agents ?? []))
        {
            if (p is null || string.IsNullOrWhiteSpace(p.Id)) return "a principal has no id";
            if (p.Tls is null) return $"'{p.Id}' has no TLS certificate fingerprint (tls)";
        }
        if ((Operators ?? []).FirstOrDefault(p => !Roles.OperatorRoles.Contains(p.Role)) is { } op)
            return $"operator '{op.Id}' has role '{op.Role}'; operator roles are {string.Join(", ", Roles.OperatorRoles)}";
        if ((Agents ?? []).FirstOrDefault(p => p.Role != Roles.Agent) is { } agent)
            return $"agent '{agent.Id}' has role '{agent.Role}', not '{Roles.Agent}'";
        if (AllPrincipals.FirstOrDefault(p => p.Tls is { } t && (t.Length != 64 || !IsHex(t))) is { } badTls)
            return $"the TLS fingerprint of '{badTls.Id}' is not 32-byte hex";
        if (RevokedKeys.Any(k => k is null || k.Length != 64 || !IsHex(k)))
            return $"revoked key '{RevokedKeys.First(k => k is null || k.Length != 64 || !IsHex(k))}' is not a 32-byte hex public key";
        var dup = AllPrincipals.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? null : $"'{dup.Key}' appears twice";
    }

    private static bool IsHex(string s) => s.All(Uri.IsHexDigit);

    private static string Short(string key) => key.Length > 16 ? key[..16] + "…" : key;

    private byte[] SigningBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this with { Signature = "" }));
}
