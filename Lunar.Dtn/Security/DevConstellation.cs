namespace Lunar.Dtn.Security;

/// <summary>
/// Makes a development constellation: fresh keys for a root, every node and every approver, written as
/// DIR/constellation.json (public keys only) plus one private key file per principal (DIR/earth.key, ...).
/// </summary>
public static class DevConstellation
{
    public const string FileName = "constellation.json";

    /// <summary>Returns the paths written.</summary>
    public static IReadOnlyList<string> Create(string dir, IEnumerable<string> nodes, IEnumerable<(string Id, string Role)> approvers)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        using var root = NodeKey.Generate("root");
        var nodePrincipals = new List<Principal>();
        var approverPrincipals = new List<Principal>();
        foreach (var id in nodes)
        {
            using var key = NodeKey.Generate(id);
            written.Add(SaveKey(dir, key));
            nodePrincipals.Add(new Principal(id, "node", key.PublicKeyHex));
        }
        foreach (var (id, role) in approvers)
        {
            using var key = NodeKey.Generate(id);
            written.Add(SaveKey(dir, key));
            approverPrincipals.Add(new Principal(id, role, key.PublicKeyHex));
        }
        written.Add(SaveKey(dir, root));
        var constellation = new Constellation { Version = 1, Nodes = nodePrincipals, Approvers = approverPrincipals }.SignWith(root);
        var path = Path.Combine(dir, FileName);
        File.WriteAllText(path, constellation.ToJson());
        written.Insert(0, path);
        return written;
    }

    private static string SaveKey(string dir, NodeKey key)
    {
        var path = Path.Combine(dir, key.Id + ".key");
        key.Save(path);
        return path;
    }
}
