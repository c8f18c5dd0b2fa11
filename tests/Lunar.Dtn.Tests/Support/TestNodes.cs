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

    public TestNodes(params string[] ids)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        foreach (var id in ids) _keys[id] = KeyFor(id);
        Trust = new TrustStore(1, ids.Select(id => new Principal(id, "node", _keys[id].PublicKeyHex)), [], []);
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
        _syncs.Add(new PeerSync(Replicas[a], link.A, sync));
        _syncs.Add(new PeerSync(Replicas[b], link.B, sync));
        return link;
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
        new(new ReplicaOptions { Id = id }, _keys[id], Trust, _stores[id], Time);

    public void Dispose()
    {
        foreach (var s in _syncs) s.Dispose();
    }
}
