using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security.Tls;

namespace Lunar.Dtn.Security;

/// <summary>
/// Who may sign what and who may call: node keys (bundles, delta intervals, snapshots), approver keys (approvals), the
/// TLS certificate authority and every principal's certificate fingerprint, with the keys revoked as of the
/// constellation version in force. Immutable; a new constellation version is a new store.
/// </summary>
public sealed class TrustStore
{
    private readonly Dictionary<string, Principal> _nodes;
    private readonly Dictionary<string, Principal> _approvers;
    private readonly HashSet<string> _revokedKeys;
    private readonly Lazy<Dictionary<string, Principal>> _operators;
    private readonly Lazy<Dictionary<string, Principal>> _agents;
    private readonly Lazy<X509Certificate2?> _authority;

    public TrustStore(int version, IEnumerable<Principal> nodes, IEnumerable<Principal> approvers, IEnumerable<string> revokedKeys)
    {
        Version = version;
        _nodes = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        _approvers = approvers.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _revokedKeys = revokedKeys.Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        _operators = new(() => Operators.ToDictionary(p => p.Id, StringComparer.Ordinal));
        _agents = new(() => Agents.ToDictionary(p => p.Id, StringComparer.Ordinal));
        _authority = new(() => AuthorityPem is null ? null : X509Certificate2.CreateFromPem(AuthorityPem));
    }

    public int Version { get; }

    /// <summary>
    /// The signed constellation this store was made from; null for stores built in code (simulation keys), which
    /// have no root key and therefore accept no new constellation version.
    /// </summary>
    public Constellation? Source { get; init; }

    public IReadOnlyCollection<Principal> Nodes => _nodes.Values;

    public IReadOnlyCollection<Principal> Approvers => _approvers.Values;

    public IReadOnlyList<Principal> Operators { get; init; } = [];

    public IReadOnlyList<Principal> Agents { get; init; } = [];

    /// <summary>The TLS certificate authority (PEM), or null for a store without one (simulation keys).</summary>
    public string? AuthorityPem { get; init; }

    /// <summary>The TLS certificate authority, parsed once.</summary>
    public X509Certificate2? Authority => _authority.Value;

    public IReadOnlyCollection<string> RevokedKeys => _revokedKeys;

    /// <summary>The public key a node signs with, or why it may not sign.</summary>
    public KeyLookup NodeKey(string nodeId) => Lookup(_nodes, nodeId, "node");

    /// <summary>The public key and role of an approver, or why they may not sign.</summary>
    public KeyLookup ApproverKey(string approverId) => Lookup(_approvers, approverId, "approver");

    public bool IsRevoked(string publicKeyHex) => _revokedKeys.Contains(publicKeyHex.ToLowerInvariant());

    /// <summary>True when <paramref name="serverId"/> has an agent in this version (revoked or not).</summary>
    public bool HasAgent(string serverId) => _agents.Value.ContainsKey(serverId);

    /// <summary>
    /// Who presented <paramref name="certificate"/>: issued by this constellation's CA and valid at <paramref name="now"/>,
    /// naming a principal of this version whose TLS fingerprint it carries, neither revoked nor past the constellation's
    /// <c>tlsNotAfter</c> for it. Else the reason, in words an operator can act on.
    /// </summary>
    public CallerLookup Authenticate(X509Certificate2 certificate, DateTimeOffset now)
    {
        if (Authority is not { } ca) return CallerLookup.Refused($"constellation version {Version} names no TLS certificate authority");
        var (id, kind, problem) = CertificateCheck.Check(certificate, ca, now);
        if (problem is not null) return CallerLookup.Refused(problem);
        var list = kind switch { PrincipalKind.Node => _nodes, PrincipalKind.Approver => _approvers, PrincipalKind.Operator => _operators.Value, _ => _agents.Value };
        var what = kind.ToString().ToLowerInvariant();
        if (!list.TryGetValue(id!, out var p)) return CallerLookup.Refused($"unknown {what} '{id}': not in constellation version {Version}");
        var fingerprint = TlsFingerprint.Of(certificate);
        if (IsRevoked(fingerprint) || p.PublicKey.Length == 64 && IsRevoked(p.PublicKey))
            return CallerLookup.Refused($"{what} '{id}' is revoked in constellation version {Version}");
        if (!string.Equals(p.Tls, fingerprint, StringComparison.OrdinalIgnoreCase))
            return CallerLookup.Refused($"the certificate of {what} '{id}' is not the one constellation version {Version} lists for it (a replaced or foreign key)");
        if (p.TlsNotAfter is { } end && now > end)
            return CallerLookup.Refused($"the certificate of {what} '{id}' expired on {end:u} under constellation version {Version}; renew it with 'constellation renew'");
        return CallerLookup.Found(new Caller(p.Id, kind, p.Role, Version));
    }

    private KeyLookup Lookup(Dictionary<string, Principal> map, string id, string what)
    {
        if (!map.TryGetValue(id, out var p))
            return KeyLookup.Refused($"unknown {what} '{id}': not in constellation version {Version}");
        if (IsRevoked(p.PublicKey))
            return KeyLookup.Refused($"{what} '{id}' signs with a key revoked in constellation version {Version}");
        return KeyLookup.Found(p, Convert.FromHexString(p.PublicKey));
    }
}
