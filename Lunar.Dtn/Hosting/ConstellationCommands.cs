using System.CommandLine;
using System.Text.Json;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// <c>constellation add</c>, <c>revoke</c> and <c>rotate-root</c>: each reads the current version, checks the root key
/// against it, and writes the next version signed by that root (the chain every node checks). Put the new file into a
/// running node with POST /api/v1/constellation; it replicates from there.
/// </summary>
public static class ConstellationCommands
{
    public static Command Add()
    {
        var (file, rootKey, output) = Common();
        var principal = new Option<string>("--principal") { Description = "The principal's public file (P.pub.json, as 'approver new' writes): id, role (\"node\" for a node) and publicKey", Required = true };
        var command = new Command("add", "Add a node or approver (or give an existing one a new key, revoking the old): writes the next version, signed") { file, rootKey, principal, output };
        command.SetAction(parse => Next(parse.GetValue(file)!, parse.GetValue(rootKey)!, parse.GetValue(output), (current, root) =>
        {
            Principal p;
            try { p = JsonSerializer.Deserialize<Principal>(File.ReadAllText(parse.GetValue(principal)!)) ?? throw new JsonException("empty"); }
            catch (Exception ex) when (ex is JsonException or IOException) { return (null, $"--principal: {ex.Message}"); }
            if (string.IsNullOrWhiteSpace(p.Id) || string.IsNullOrWhiteSpace(p.Role) || p.PublicKey is not { Length: 64 })
                return (null, "--principal must hold id, role and a 32-byte hex publicKey");
            var key = p.PublicKey.ToLowerInvariant();
            if (current.RevokedKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                return (null, $"the key of '{p.Id}' was revoked in an earlier version; a revoked key never comes back");
            var existing = current.Nodes.Concat(current.Approvers).FirstOrDefault(x => x.Id == p.Id);
            if (existing is not null && string.Equals(existing.PublicKey, key, StringComparison.OrdinalIgnoreCase))
                return (null, $"'{p.Id}' is already in version {current.Version} with this key");
            var added = p with { PublicKey = key };
            var nodes = current.Nodes.Where(x => x.Id != p.Id).ToList();
            var approvers = current.Approvers.Where(x => x.Id != p.Id).ToList();
            if (p.Role == "node") nodes.Add(added); else approvers.Add(added);
            // A new key for an existing principal is a rotation: the old key must stop counting at once.
            var revoked = existing is null ? current.RevokedKeys : [.. current.RevokedKeys, existing.PublicKey];
            var what = existing is null ? $"added {(p.Role == "node" ? "node" : "approver")} '{p.Id}' ({p.Role})" : $"gave '{p.Id}' a new key and revoked the old one";
            return (current with { Nodes = nodes, Approvers = approvers, RevokedKeys = revoked }, what);
        }));
        return command;
    }

    public static Command Revoke()
    {
        var (file, rootKey, output) = Common();
        var id = new Option<string>("--id") { Description = "The node or approver whose key is revoked", Required = true };
        var command = new Command("revoke", "Revoke a node's or approver's key: writes the next version, signed; what it signs stops counting from that version on") { file, rootKey, id, output };
        command.SetAction(parse => Next(parse.GetValue(file)!, parse.GetValue(rootKey)!, parse.GetValue(output), (current, _) =>
        {
            var who = parse.GetValue(id)!;
            var p = current.Nodes.Concat(current.Approvers).FirstOrDefault(x => x.Id == who);
            if (p is null) return (null, $"no node or approver '{who}' in constellation version {current.Version}");
            if (current.RevokedKeys.Contains(p.PublicKey, StringComparer.OrdinalIgnoreCase)) return (null, $"the key of '{who}' is already revoked");
            return (current with { RevokedKeys = [.. current.RevokedKeys, p.PublicKey.ToLowerInvariant()] }, $"revoked the key of '{who}' ({p.Role})");
        }));
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

    private static (Option<string> File, Option<string> RootKey, Option<string?> Output) Common() =>
        (new Option<string>("--constellation") { Description = "The current constellation.json", Required = true },
         new Option<string>("--root-key") { Description = "The current root's private key file (root.key)", Required = true },
         new Option<string?>("--out") { Description = "Where to write the next version (default: over --constellation)" });

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
            var temp = target + ".tmp";
            File.WriteAllText(temp, next.ToJson());
            File.Move(temp, target, overwrite: true);
            Console.WriteLine($"wrote {target}: constellation version {next.Version}, {what}");
            Console.WriteLine($"put it into a running node: curl -X POST -H 'Content-Type: application/json' --data-binary @{target} http://NODE/api/v1/constellation");
            return 0;
        }
    }

    private static int Fail(string why)
    {
        Console.Error.WriteLine(why);
        return 2;
    }
}
