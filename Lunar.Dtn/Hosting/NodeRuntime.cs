using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// What a running node is made of: its key, the trust store from its constellation, its durable store and
/// its replica. Opening it creates the data folder and, without trust configuration, a development constellation.
/// </summary>
public sealed class NodeRuntime : IDisposable
{
    private readonly DataFolderLock _lock;

    private NodeRuntime(NodeOptions options, NodeKey key, Constellation constellation, IReplicaStore store, Replica replica, string constellationPath, DataFolderLock folderLock)
    {
        _lock = folderLock;
        Options = options;
        Key = key;
        Constellation = constellation;
        Store = store;
        Replica = replica;
        ConstellationPath = constellationPath;
    }

    public NodeOptions Options { get; }
    public NodeKey Key { get; }
    /// <summary>The constellation file this node was started with (its trust anchor); the version in force is Replica.Trust.</summary>
    public Constellation Constellation { get; }
    public string ConstellationPath { get; }
    public IReplicaStore Store { get; }
    public Replica Replica { get; }

    public static NodeRuntime Open(NodeOptions options, IEnumerable<string> peers, TimeProvider time, ILogger logger)
    {
        var folderLock = DataFolderLock.Take(options.DataDir);
        try
        {
            return Open(options, peers, time, logger, folderLock);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    private static NodeRuntime Open(NodeOptions options, IEnumerable<string> peers, TimeProvider time, ILogger logger, DataFolderLock folderLock)
    {
        var (constellationPath, keyPath) = ResolveTrust(options, logger);
        var constellation = Constellation.Load(constellationPath);
        var key = NodeKey.Load(keyPath);
        if (key.Id != options.Id)
            throw new FormatException($"Node:KeyFile '{keyPath}' holds the key of '{key.Id}', not of Node:Id '{options.Id}'");
        if (CheckKey(constellation.ToTrustStore(), options.Id, key, keyPath, $"{constellationPath} (version {constellation.Version})") is { } bad) throw new FormatException(bad);
        var store = ReplicaStores.Open(options.DataDir);
        var replica = new Replica(new ReplicaOptions { Id = options.Id, Peers = peers.Union(options.FilePeerIds()).ToArray() }, key, constellation.ToTrustStore(), store, time);
        // The store may hold newer versions (replicated while the file stayed as it was): the replica adopted them.
        var trust = replica.Trust;
        if (trust.Version > constellation.Version)
        {
            logger.LogInformation("The store holds constellation version {Held}, newer than version {File} in {Path}: using version {Held}",
                trust.Version, constellation.Version, constellationPath, trust.Version);
            if (CheckKey(trust, options.Id, key, keyPath, $"constellation version {trust.Version} held in the store") is { } revoked)
            {
                store.Dispose();
                throw new FormatException(revoked);
            }
        }
        return new NodeRuntime(options, key, constellation, store, replica, constellationPath, folderLock);
    }

    /// <summary>Null when <paramref name="key"/> is this node's usable key under <paramref name="trust"/>, else why not.</summary>
    private static string? CheckKey(TrustStore trust, string id, NodeKey key, string keyPath, string where)
    {
        var lookup = trust.NodeKey(id);
        if (!lookup.Ok) return $"this node cannot sign: {lookup.Problem}";
        return lookup.PublicKey!.AsSpan().SequenceEqual(key.PublicKey) ? null : $"Node:KeyFile '{keyPath}' does not match the public key of '{id}' in {where}";
    }

    /// <summary>
    /// What an opened node's data folder holds: the folder, the development constellation (public file, this node's key,
    /// the root key) when no trust configuration is given, and the store.
    /// </summary>
    public static IReadOnlyList<string> PathsOf(NodeOptions options)
    {
        var paths = new List<string> { options.DataDir };
        if (string.IsNullOrWhiteSpace(options.Constellation))
        {
            var dir = DevConstellationDir(options);
            paths.AddRange([Path.Combine(dir, DevConstellation.FileName), Path.Combine(dir, options.Id + ".key"), Path.Combine(dir, "root.key")]);
        }
        paths.Add(Path.Combine(options.DataDir, LiteDbReplicaStore.FileName));
        return paths;
    }

    private static string DevConstellationDir(NodeOptions options) => Path.Combine(options.DataDir, "dev-constellation");

    private static (string Constellation, string Key) ResolveTrust(NodeOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Constellation)) return (options.Constellation!, options.KeyFile!);
        var dir = DevConstellationDir(options);
        var path = Path.Combine(dir, DevConstellation.FileName);
        if (!File.Exists(path))
        {
            DevConstellation.Create(dir, [options.Id], []);
            logger.LogWarning("No Node:Constellation given: created a single-node development constellation in {Dir}. " +
                "For real deployments make one with 'constellation dev --out DIR --nodes ...' and pass --Node:Constellation and --Node:KeyFile", dir);
        }
        else logger.LogInformation("Using the development constellation in {Dir}", dir);
        return (path, Path.Combine(dir, options.Id + ".key"));
    }

    public void Dispose()
    {
        Store.Dispose();
        Key.Dispose();
        _lock.Dispose();
    }
}
