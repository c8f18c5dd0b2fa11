namespace Lunar.Dtn.Security;

/// <summary>
/// Who may sign what: node keys (bundles, delta intervals, snapshots) and approver keys (approvals), with
/// the keys revoked as of the constellation version in force. Immutable; a new constellation version is a new store.
/// </summary>
public sealed class TrustStore
{
    private readonly Dictionary<string, Principal> _nodes;
    private readonly Dictionary<string, Principal> _approvers;
    private readonly HashSet<string> _revokedKeys;

    public TrustStore(int version, IEnumerable<Principal> nodes, IEnumerable<Principal> approvers, IEnumerable<string> revokedKeys)
    {
        Version = version;
        _nodes = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        _approvers = approvers.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _revokedKeys = revokedKeys.Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    public int Version { get; }

    /// <summary>
    /// The signed constellation this store was made from; null for stores built in code (simulation keys), which
    /// have no root key and therefore accept no new constellation version.
    /// </summary>
    public Constellation? Source { get; init; }

    public IReadOnlyCollection<Principal> Nodes => _nodes.Values;

    public IReadOnlyCollection<Principal> Approvers => _approvers.Values;

    public IReadOnlyCollection<string> RevokedKeys => _revokedKeys;

    /// <summary>The public key a node signs with, or why it may not sign.</summary>
    public KeyLookup NodeKey(string nodeId) => Lookup(_nodes, nodeId, "node");

    /// <summary>The public key and role of an approver, or why they may not sign.</summary>
    public KeyLookup ApproverKey(string approverId) => Lookup(_approvers, approverId, "approver");

    public bool IsRevoked(string publicKeyHex) => _revokedKeys.Contains(publicKeyHex.ToLowerInvariant());

    private KeyLookup Lookup(Dictionary<string, Principal> map, string id, string what)
    {
        if (!map.TryGetValue(id, out var p))
            return KeyLookup.Refused($"unknown {what} '{id}': not in constellation version {Version}");
        if (IsRevoked(p.PublicKey))
            return KeyLookup.Refused($"{what} '{id}' signs with a key revoked in constellation version {Version}");
        return KeyLookup.Found(p, Convert.FromHexString(p.PublicKey));
    }
}
