using System.CommandLine;
using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// <c>constellation add</c>, <c>revoke</c>, <c>renew</c> and <c>rotate-root</c>: each reads the current version, checks the
/// root key against it, and writes the next version signed by that root (the chain every node checks), atomically
/// (fsync, then rename). Put the new file into a running node with POST /api/v1/constellation; it replicates from there,
/// by link or by stick, and every node and agent applies it from that version on.
/// </summary>
public static class ConstellationCommands
{
    public static Command Add()
    {
        var (file, rootKey, output) = Common();
        var principal = new Option<string?>("--principal") { Description = "A node's or approver's public file (P.pub.json, as 'approver new' writes): id, role (\"node\" for a node) and publicKey" };
        var operatorOption = new Option<string?>("--operator") { Description = "Operators to add as name:role, comma separated (roles viewer, operator, admin), e.g. carol:operator" };
        var agents = new Option<string?>("--agents") { Description = "Agents to add, one per server id, comma separated, e.g. srv-00031,srv-00032" };
        var agentsFile = new Option<string?>("--agents-file") { Description = "Agents to add: a file with one server id a line" };
        var (caKey, files, hosts) = Issuing();
        var command = new Command("add", "Add a node, approver, operator or agent (or give an existing one a new key, revoking the old): issues its TLS certificate " +
            "with the CA key, writes its files (P.crt, P.key.pem, P.pem, P.p12; agents P.passkey) and the next version, signed")
        { file, rootKey, principal, operatorOption, agents, agentsFile, caKey, files, hosts, output };
        command.SetAction(parse =>
        {
            var requests = new List<(Principal P, PrincipalKind Kind)>();
            if (parse.GetValue(principal) is { } path)
            {
                var (p, problem) = ReadPublicFile(path);
                if (p is null) return Fail(problem!);
                requests.Add((p, p.Role == Roles.Node ? PrincipalKind.Node : PrincipalKind.Approver));
            }
            var (ops, opsProblem) = ConstellationLists.Pairs(parse.GetValue(operatorOption), "--operator", Roles.OperatorRoles);
            if (opsProblem is not null) return Fail(opsProblem);
            requests.AddRange(ops.Select(o => (new Principal(o.Id, o.Role, ""), PrincipalKind.Operator)));
            var (ids, agentsProblem) = ConstellationLists.Agents(parse.GetValue(agents), parse.GetValue(agentsFile));
            if (agentsProblem is not null) return Fail(agentsProblem);
            requests.AddRange(ids.Select(id => (new Principal(id, Roles.Agent, ""), PrincipalKind.Agent)));
            if (requests.Count == 0) return Fail("name whom to add: --principal FILE, --operator name:role, --agents ID,... or --agents-file FILE");
            var now = DateTimeOffset.UtcNow;
            return Next(parse.GetValue(file)!, parse.GetValue(rootKey)!, parse.GetValue(output), (current, _) =>
            {
                var (issuer, problem) = ConstellationIssuer.Open(current, CaKeyPath(parse.GetValue(caKey), parse.GetValue(rootKey)!),
                    parse.GetValue(files) ?? FolderOf(parse.GetValue(output) ?? parse.GetValue(file)!), now, now.Add(DevConstellation.CertificateTerm));
                if (issuer is null) return (null, problem!);
                using (issuer) return ConstellationAdd.Apply(current, requests, issuer, HostNames(parse.GetValue(hosts)));
            });
        });
        return command;
    }

    public static Command Revoke()
    {
        var (file, rootKey, output) = Common();
        var id = new Option<string>("--id") { Description = "The node, approver, operator or agent whose keys are revoked", Required = true };
        var command = new Command("revoke", "Revoke a principal of any kind: writes the next version, signed, listing its Ed25519 key and its TLS certificate's " +
            "fingerprint in revokedKeys; from that version on, every node and agent refuses what it signs and the certificate it presents")
        { file, rootKey, id, output };
        command.SetAction(parse => Next(parse.GetValue(file)!, parse.GetValue(rootKey)!, parse.GetValue(output), (current, _) =>
        {
            var who = parse.GetValue(id)!;
            var (p, kind) = ConstellationLists.WithKinds(current).FirstOrDefault(x => x.P.Id == who);
            if (p is null) return (null, $"no node, approver, operator or agent '{who}' in constellation version {current.Version}");
            var keys = ConstellationLists.KeysOf(p).ToArray();
            if (keys.Length == 0) return (null, $"'{who}' has neither an Ed25519 key nor a TLS fingerprint to revoke");
            var fresh = keys.Where(k => !current.RevokedKeys.Contains(k, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (fresh.Length == 0) return (null, $"the keys of '{who}' are already revoked");
            var what = kind.ToString().ToLowerInvariant();
            return (current with { RevokedKeys = [.. current.RevokedKeys, .. fresh] },
                $"revoked {what} '{who}' ({p.Role}): {string.Join(" and ", fresh.Select(k => k == p.Tls?.ToLowerInvariant() ? "TLS certificate " + k[..12] : "Ed25519 key " + k[..12]))}");
        }));
        return command;
    }

    public static Command Renew()
    {
        var (file, rootKey, output) = Common();
        var id = new Option<string?>("--id") { Description = "The principal whose certificate's life the constellation extends" };
        var all = new Option<bool>("--all") { Description = "Every principal that is not revoked" };
        var until = new Option<string>("--until") { Description = "The new last day (2027-06-30, end of day UTC) or instant (2027-06-30T12:00:00Z) the constellation lets the certificate act", Required = true };
        var command = new Command("renew", "Move tlsNotAfter of one principal (--id) or all (--all) to --until: the next version, signed. Nothing new has to reach the " +
            "certificate's holder: the version travels by link or stick like any record, so a Moon in blackout is renewed by the next contact or stick")
        { file, rootKey, id, all, until, output };
        command.SetAction(parse =>
        {
            var (at, problem) = ConstellationLists.Until(parse.GetValue(until)!);
            if (at is not { } end) return Fail(problem!);
            if (end <= DateTimeOffset.UtcNow) return Fail($"--until {end:u} is not in the future; to stop a certificate now, use 'constellation revoke'");
            var who = parse.GetValue(id);
            if (who is null == !parse.GetValue(all)) return Fail("give --id P or --all (one of them)");
            return Next(parse.GetValue(file)!, parse.GetValue(rootKey)!, parse.GetValue(output), (current, _) => ConstellationAdd.Renew(current, who, end));
        });
        return command;
    }

    public static Command RotateRoot()
    {
        var (file, rootKey, output) = Common();
        var newRoot = new Option<string>("--new-root-key") { Description = "The new root's private key file (keep it offline); it signs every later version", Required = true };
        var command = new Command("rotate-root", "Rotate the root key: the next version names the new root and is signed by the current one") { file, rootKey, newRoot, output };
        command.SetAction(parse =>
        {
            NodeKey next;
            try { next = NodeKey.Load(parse.GetValue(newRoot)!); }
            catch (Exception ex) when (ex is FormatException or IOException) { return Fail($"--new-root-key: {ex.Message}"); }
            using (next)
                return Next(parse.GetValue(file)!, parse.GetValue(rootKey)!, parse.GetValue(output),
                    (current, _) => (current, $"rotated the root to {next.PublicKeyHex[..16]}"), next.PublicKeyHex);
        });
        return command;
    }

    /// <summary>The CA key: <c>--ca-key</c>, else <c>ca.key.pem</c> beside the root key.</summary>
    public static string CaKeyPath(string? given, string rootKeyPath) =>
        given ?? Path.Combine(FolderOf(rootKeyPath), DevConstellation.AuthorityKeyFile);

    private static string FolderOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;

    private static IReadOnlyList<string> HostNames(string? given) =>
        given is null ? DevConstellation.LocalHostNames : ConstellationLists.Split(given);

    private static (Principal? P, string? Problem) ReadPublicFile(string path)
    {
        Principal p;
        try { p = JsonSerializer.Deserialize<Principal>(File.ReadAllText(path)) ?? throw new JsonException("empty"); }
        catch (Exception ex) when (ex is JsonException or IOException) { return (null, $"--principal: {ex.Message}"); }
        if (string.IsNullOrWhiteSpace(p.Id) || string.IsNullOrWhiteSpace(p.Role) || p.PublicKey is not { Length: 64 })
            return (null, "--principal must hold id, role and a 32-byte hex publicKey");
        return ConstellationLists.CheckId(p.Id, "--principal id") is { } bad ? (null, bad) : (p with { PublicKey = p.PublicKey.ToLowerInvariant() }, null);
    }

    private static (Option<string> File, Option<string> RootKey, Option<string?> Output) Common() =>
        (new Option<string>("--constellation") { Description = "The current constellation.json", Required = true },
         new Option<string>("--root-key") { Description = "The current root's private key file (root.key)", Required = true },
         new Option<string?>("--out") { Description = "Where to write the next version (default: over --constellation)" });

    private static (Option<string?> CaKey, Option<string?> Files, Option<string?> Hosts) Issuing() =>
        (new Option<string?>("--ca-key") { Description = "The CA's private key (PEM), with ca.crt beside it (default: ca.key.pem beside --root-key)" },
         new Option<string?>("--files") { Description = "Folder for the new principals' certificate and key files (default: beside the constellation written)" },
         new Option<string?>("--host-names") { Description = "Nodes: the host names and addresses their certificate serves, comma separated (default localhost,127.0.0.1)" });

    /// <summary>Loads the current version, applies <paramref name="change"/>, signs version+1 with the root and writes it atomically.</summary>
    private static int Next(string path, string rootKeyPath, string? output, Func<Constellation, NodeKey, (Constellation? Changed, string What)> change, string? newRoot = null)
    {
        Constellation current;
        NodeKey root;
        try
        {
            current = Constellation.Load(path);
            root = NodeKey.Load(rootKeyPath);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException) { return Fail(ex.Message); }
        using (root)
        {
            if (!string.Equals(root.PublicKeyHex, current.Root, StringComparison.OrdinalIgnoreCase))
                return Fail($"--root-key holds key {root.PublicKeyHex[..16]}…, but the root of {path} (version {current.Version}) is {current.Root[..Math.Min(16, current.Root.Length)]}…: only the current root signs the next version");
            var (changed, what) = change(current, root);
            if (changed is null) return Fail(what);
            var next = (changed with { Version = current.Version + 1, Signature = "" }).SignWith(root, newRoot);
            // The same rule every node applies on receipt; failing here means a bug, not a bad input.
            if (next.CheckSuccessorOf(current) is { } broken) return Fail($"internal error: {broken}");
            var target = output ?? path;
            AtomicFile.WriteText(target, next.ToJson());
            Console.WriteLine($"wrote {target}: constellation version {next.Version}, {what}");
            Console.WriteLine($"put it into a running node (as an admin): curl --cert ADMIN.pem --cacert ca.crt -X POST -H 'Content-Type: application/json' " +
                $"--data-binary @{target} https://NODE/api/v1/constellation");
            return 0;
        }
    }

    private static int Fail(string why)
    {
        Console.Error.WriteLine(why);
        return 2;
    }
}
