using Lunar.Dtn.Replication;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
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

    private NodeRuntime(NodeOptions options, NodeKey key, Constellation constellation, IReplicaStore store, Replica replica, string constellationPath, DataFolderLock folderLock,
        X509Certificate2 certificate)
    {
        Certificate = certificate;
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

    /// <summary>This node's TLS certificate with its private key: it serves HTTPS with it and presents it on the link.</summary>
    public X509Certificate2 Certificate { get; }
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
        if (!string.IsNullOrWhiteSpace(options.Constellation) && OfflineKeyInDataFolder(options.DataDir) is { } offline)
            throw new FormatException($"{offline} is inside this node's data folder: a root or CA private key belongs offline, never on a node " +
                "(only a development folder made by 'constellation dev' holds one); move it away and start again");
        var (constellationPath, keyPath) = ResolveTrust(options, logger);
        var constellation = Constellation.Load(constellationPath);
        var key = NodeKey.Load(keyPath);
        if (key.Id != options.Id)
            throw new FormatException($"Node:KeyFile '{keyPath}' holds the key of '{key.Id}', not of Node:Id '{options.Id}'");
        if (CheckKey(constellation.ToTrustStore(), options.Id, key, keyPath, $"{constellationPath} (version {constellation.Version})") is { } bad) throw new FormatException(bad);
        var certificate = LoadCertificate(options, keyPath, constellation, time.GetUtcNow());
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
        return new NodeRuntime(options, key, constellation, store, replica, constellationPath, folderLock, certificate);
    }

    /// <summary>The node's TLS certificate (beside its key file unless configured), checked against the constellation.</summary>
    private static X509Certificate2 LoadCertificate(NodeOptions options, string keyPath, Constellation constellation, DateTimeOffset now)
    {
        if (constellation.Ca is null)
            throw new FormatException($"constellation version {constellation.Version} names no TLS certificate authority (it was made before mutual TLS): " +
                "make a new one with 'constellation dev', which writes ca.crt and a certificate for every principal");
        var dir = Path.GetDirectoryName(Path.GetFullPath(keyPath))!;
        var certPath = options.TlsCertificate ?? CertificateFiles.CertificatePath(dir, options.Id);
        var tlsKeyPath = options.TlsKey ?? CertificateFiles.KeyPath(dir, options.Id);
        if (!File.Exists(certPath)) throw new FormatException($"no TLS certificate for node '{options.Id}' at {certPath} (Node:TlsCertificate)");
        if (!File.Exists(tlsKeyPath)) throw new FormatException($"no TLS private key for node '{options.Id}' at {tlsKeyPath} (Node:TlsKey)");
        var certificate = CertificateFiles.Load(certPath, tlsKeyPath);
        var lookup = constellation.ToTrustStore().Authenticate(certificate, now);
        if (!lookup.Ok || lookup.Caller!.Kind != PrincipalKind.Node || lookup.Caller.Id != options.Id)
            throw new FormatException($"{certPath} is not a usable TLS certificate of node '{options.Id}': {lookup.Problem ?? $"it names {lookup.Caller}"}");
        return certificate;
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
            paths.AddRange([Path.Combine(dir, DevConstellation.FileName), Path.Combine(dir, options.Id + ".key"), Path.Combine(dir, "root.key"),
                Path.Combine(dir, DevConstellation.AuthorityFile), CertificateFiles.CertificatePath(dir, options.Id), CertificateFiles.CombinedPath(dir, DevAdmin)]);
        }
        paths.Add(Path.Combine(options.DataDir, LiteDbReplicaStore.FileName));
        return paths;
    }

    /// <summary>A root or CA private key in the data folder (top level or one below), or null.</summary>
    private static string? OfflineKeyInDataFolder(string dataDir)
    {
        if (!Directory.Exists(dataDir)) return null;
        string[] names = ["root.key", DevConstellation.AuthorityKeyFile];
        return Directory.EnumerateFiles(dataDir, "*", new EnumerationOptions { MaxRecursionDepth = 1, RecurseSubdirectories = true, IgnoreInaccessible = true })
            .FirstOrDefault(f => names.Contains(Path.GetFileName(f)) && !f.Contains("dev-constellation", StringComparison.Ordinal));
    }

    /// <summary>The administrator a development constellation made by a node for itself names.</summary>
    public const string DevAdmin = "admin";

    private static string DevConstellationDir(NodeOptions options) => Path.Combine(options.DataDir, "dev-constellation");

    private static (string Constellation, string Key) ResolveTrust(NodeOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Constellation)) return (options.Constellation!, options.KeyFile!);
        var dir = DevConstellationDir(options);
        var path = Path.Combine(dir, DevConstellation.FileName);
        if (!File.Exists(path))
        {
            DevConstellation.Create(dir, [options.Id], [], [(DevAdmin, Roles.Admin)]);
            logger.LogWarning("No Node:Constellation given: created a single-node development constellation in {Dir}: its certificate authority is {Ca}, " +
                "an admin certificate is {Admin} (use it with curl --cert and the CA with --cacert; a browser imports {P12}). " +
                "For real deployments make one with 'constellation dev --out DIR --nodes ...' and pass --Node:Constellation and --Node:KeyFile",
                dir, Path.Combine(dir, DevConstellation.AuthorityFile), CertificateFiles.CombinedPath(dir, DevAdmin), Path.Combine(dir, DevAdmin + ".p12"));
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
