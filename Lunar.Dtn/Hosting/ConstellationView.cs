using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The constellation version in force on this node: its root (and, after a root rotation, the old root that signed
/// it), every principal and whether its key is revoked, the revoked keys, and the versions this node holds as records.
/// </summary>
public sealed record ConstellationView(
    int Version,
    string Root,
    string? SignedBy,
    IReadOnlyList<ConstellationPrincipalView> Nodes,
    IReadOnlyList<ConstellationPrincipalView> Approvers,
    IReadOnlyList<string> RevokedKeys,
    IReadOnlyList<int> VersionsHeld)
{
    public static ConstellationView Of(Replica replica)
    {
        var trust = replica.Trust;
        return new ConstellationView(trust.Version, trust.Source?.Root ?? "", trust.Source?.SignedBy,
            Principals(trust.Nodes, trust), Principals(trust.Approvers, trust),
            trust.RevokedKeys.Order(StringComparer.Ordinal).ToArray(), replica.ConstellationVersionsHeld);
    }

    private static ConstellationPrincipalView[] Principals(IEnumerable<Principal> principals, TrustStore trust) =>
        principals.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new ConstellationPrincipalView(p.Id, p.Role, p.PublicKey, trust.IsRevoked(p.PublicKey))).ToArray();
}
