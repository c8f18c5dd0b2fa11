using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The changes <c>constellation add</c> and <c>renew</c> make to a version, as values: the changed constellation (not yet
/// signed) and what was done, or null and why not. A principal added again is a rotation: its new certificate (and, for
/// nodes and approvers, its new Ed25519 key) replaces the old, and the old keys are revoked in the same version.
/// </summary>
public static class ConstellationAdd
{
    public static (Constellation? Changed, string What) Apply(Constellation current, IReadOnlyList<(Principal P, PrincipalKind Kind)> requests,
        ConstellationIssuer issuer, IReadOnlyList<string> hostNames)
    {
        var existing = ConstellationLists.WithKinds(current).ToDictionary(x => x.P.Id, StringComparer.Ordinal);
        var revoked = current.RevokedKeys.Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var (p, kind) in requests)
        {
            if (existing.TryGetValue(p.Id, out var old) && old.Kind != kind)
                return (null, $"'{p.Id}' is already a{(old.Kind is PrincipalKind.Operator or PrincipalKind.Agent ? "n" : "")} {old.Kind.ToString().ToLowerInvariant()} in version {current.Version}; ids are unique across every kind");
            if (p.PublicKey.Length == 64 && revoked.Contains(p.PublicKey))
                return (null, $"the key of '{p.Id}' was revoked in an earlier version; a revoked key never comes back");
            if (old.P is { } o && p.PublicKey.Length == 64 && string.Equals(o.PublicKey, p.PublicKey, StringComparison.OrdinalIgnoreCase) && o.Tls is not null)
                return (null, $"'{p.Id}' is already in version {current.Version} with this key");
        }
        if (requests.GroupBy(r => r.P.Id).FirstOrDefault(g => g.Count() > 1) is { } twice) return (null, $"'{twice.Key}' is named twice");

        var written = new List<string>();
        var issued = new Principal[requests.Count];
        // Agents can be thousands: their certificates are independent, so issue them on every core.
        Parallel.For(0, requests.Count, i => issued[i] = issuer.Issue(requests[i].P, requests[i].Kind, hostNames, written));

        var lists = new Dictionary<PrincipalKind, List<Principal>>
        {
            [PrincipalKind.Node] = [.. current.Nodes],
            [PrincipalKind.Approver] = [.. current.Approvers],
            [PrincipalKind.Operator] = [.. current.Operators ?? []],
            [PrincipalKind.Agent] = [.. current.Agents ?? []],
        };
        var newlyRevoked = new List<string>();
        var replaced = 0;
        for (var i = 0; i < issued.Length; i++)
        {
            var kind = requests[i].Kind;
            var list = lists[kind];
            var at = list.FindIndex(x => x.Id == issued[i].Id);
            if (at < 0) { list.Add(issued[i]); continue; }
            // A rotation: the old keys must stop counting at once (the Ed25519 key only when it changed).
            replaced++;
            var keep = issued[i].PublicKey.Length == 64 ? issued[i].PublicKey : null;
            newlyRevoked.AddRange(ConstellationLists.KeysOf(list[at]).Where(k => k != keep && !revoked.Contains(k)));
            list[at] = issued[i];
        }
        var changed = current with
        {
            Nodes = lists[PrincipalKind.Node],
            Approvers = lists[PrincipalKind.Approver],
            Operators = lists[PrincipalKind.Operator],
            Agents = lists[PrincipalKind.Agent],
            RevokedKeys = [.. current.RevokedKeys, .. newlyRevoked.Distinct()],
        };
        return (changed, Describe(requests, replaced, written.Count, issuer));
    }

    /// <summary>Moves tlsNotAfter of principal <paramref name="id"/> (or, null, of every principal not revoked) to <paramref name="until"/>.</summary>
    public static (Constellation? Changed, string What) Renew(Constellation current, string? id, DateTimeOffset until)
    {
        var revoked = current.RevokedKeys.Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        bool IsRevoked(Principal p) => ConstellationLists.KeysOf(p).Any(revoked.Contains);
        if (id is not null)
        {
            var (p, _) = ConstellationLists.WithKinds(current).FirstOrDefault(x => x.P.Id == id);
            if (p is null) return (null, $"no node, approver, operator or agent '{id}' in constellation version {current.Version}");
            if (IsRevoked(p)) return (null, $"'{id}' is revoked; a revoked certificate is never renewed (add the principal again for a new one)");
            if (p.Tls is null) return (null, $"'{id}' has no TLS certificate in version {current.Version}; give it one with 'constellation add'");
        }
        var count = 0;
        Principal Move(Principal p)
        {
            if (p.Tls is null || IsRevoked(p) || id is not null && p.Id != id) return p;
            count++;
            return p with { TlsNotAfter = until };
        }
        var changed = current with
        {
            Nodes = current.Nodes.Select(Move).ToList(),
            Approvers = current.Approvers.Select(Move).ToList(),
            Operators = current.Operators?.Select(Move).ToList(),
            Agents = current.Agents?.Select(Move).ToList(),
        };
        return count == 0 ? (null, "no principal with a certificate to renew")
            : (changed, $"renewed {(id is null ? $"{count} principals" : $"'{id}'")} until {until:u}");
    }

    private static string Describe(IReadOnlyList<(Principal P, PrincipalKind Kind)> requests, int replaced, int files, ConstellationIssuer issuer)
    {
        var byKind = requests.GroupBy(r => r.Kind).Select(g => g.Count() == 1
            ? $"{g.Key.ToString().ToLowerInvariant()} '{g.First().P.Id}' ({g.First().P.Role})"
            : $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}s ({g.First().P.Id} … {g.Last().P.Id})");
        var rotation = replaced > 0 ? $"; {replaced} already present got new keys and their old ones were revoked" : "";
        return $"added {string.Join(", ", byKind)}{rotation}; wrote {files} credential files into {issuer.Dir}, valid until {issuer.NotAfter:u}";
    }
}
