using Lunar.Dtn.Links;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A small constellation of replicas in one process on one fake clock: deterministic keys, in-memory
/// stores, simulated links. Tests say which node talks to which.
/// </summary>
public sealed class TestNodes : IDisposable
{
    private readonly Dictionary<string, NodeKey> _keys = new();
    private readonly Dictionary<string, MemoryReplicaStore> _stores = new();
    private readonly List<PeerSync> _syncs = [];
    private readonly Dictionary<SimulatedLink, (PeerSync A, PeerSync B)> _linkSyncs = [];
    private readonly IReadOnlyDictionary<string, string[]> _peers;

    public TestNodes(params string[] ids) : this(new Dictionary<string, string[]>(), ids) { }

    /// <summary>
    /// Replicas whose <see cref="ReplicaOptions.Peers"/> are configured (a node absent from
    /// <paramref name="peers"/> has none): they fold deltas only once every configured peer acknowledged them.
    /// </summary>
    public TestNodes(IReadOnlyDictionary<string, string[]> peers, params string[] ids) : this(null, peers, ids) { }

    /// <summary>Replicas that all start from <paramref name="trust"/> (e.g. a signed constellation, which has a root key).</summary>
    public TestNodes(TrustStore? trust, IReadOnlyDictionary<string, string[]> peers, params string[] ids)
    {
        _peers = peers;
        Time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        foreach (var id in ids) _keys[id] = KeyFor(id);
        Trust = trust ?? new TrustStore(1, ids.Select(id => new Principal(id, "node", _keys[id].PublicKeyHex)), [], []);
        foreach (var id in ids)
        {
            _stores[id] = new MemoryReplicaStore();
            Replicas[id] = NewReplica(id);
        }
    }

    public FakeTimeProvider Time { get; }

    public TrustStore Trust { get; }

    public Dictionary<string, Replica> Replicas { get; } = new();

    public Replica this[string id] => Replicas[id];

    public static NodeKey KeyFor(string id) => SimulationKeys.For(id);

    public MemoryReplicaStore StoreOf(string id) => _stores[id];

    /// <summary>Connects two replicas through a simulated link and starts syncing both ways.</summary>
    public SimulatedLink Connect(string a, string b, LinkConditions conditions, int seed = 1, SyncOptions? sync = null)
    {
        var link = new SimulatedLink(a, b, conditions, Time, new Random(seed));
        var syncA = new PeerSync(Replicas[a], link.A, sync);
        var syncB = new PeerSync(Replicas[b], link.B, sync);
        _syncs.Add(syncA);
        _syncs.Add(syncB);
        _linkSyncs[link] = (syncA, syncB);
        return link;
    }

    /// <summary>The peer syncs running over <paramref name="link"/>: A on its first node, B on its second.</summary>
    public (PeerSync A, PeerSync B) SyncsOf(SimulatedLink link) => _linkSyncs[link];

    /// <summary>Cuts <paramref name="link"/> for good and stops its peer syncs (the replicas keep their acks).</summary>
    public void Disconnect(SimulatedLink link)
    {
        link.Cut();
        var (a, b) = _linkSyncs[link];
        a.Dispose();
        b.Dispose();
        _linkSyncs.Remove(link);
    }

    /// <summary>Advances the fake clock in steps until <paramref name="done"/> holds or the budget runs out.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan budget, TimeSpan? step = null)
    {
        var end = Time.GetUtcNow() + budget;
        var s = step ?? TimeSpan.FromMilliseconds(10);
        while (Time.GetUtcNow() < end)
        {
            if (done()) return true;
            Time.Advance(s);
        }
        return done();
    }

    public bool Converged(params string[] ids) =>
        ids.Select(id => Replicas[id].Fingerprint()).Distinct().Count() == 1 &&
        ids.Select(id => Replicas[id].Vector).Distinct().Count() == 1;

    private Replica NewReplica(string id) =>
        new(new ReplicaOptions { Id = id, Peers = _peers.GetValueOrDefault(id) ?? [] }, _keys[id], Trust, _stores[id], Time);

    public void Dispose()
    {
        foreach (var s in _syncs) s.Dispose();
    }
}
