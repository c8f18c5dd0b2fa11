using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Tests.Storage;

public sealed class StoreEquivalenceTests
{
    [Fact]
    public void SameScenario_OnMemoryAndLiteDb_GivesTheSameFingerprints_AndTheSameStoredReplicas()
    {
        using var dir = new ScratchDir("equivalence");
        var memory = StoreScenario.Run(_ => new MemoryReplicaStore());
        var lite = StoreScenario.Run(id => new LiteDbReplicaStore(dir.Sub(id)));

        foreach (var id in StoreScenario.Ids)
        {
            Assert.Equal(memory.Fingerprints[id], lite.Fingerprints[id]);
            // A replica rebuilt from its store is the replica that wrote it.
            Assert.Equal(lite.Fingerprints[id], lite.Reloaded[id]);
            Assert.Equal(memory.Reloaded[id], lite.Reloaded[id]);
            AssertSame(memory.Stored[id], lite.Stored[id], id);
        }
        Assert.Single(lite.Fingerprints.Values.Distinct());
    }

    private static void AssertSame(StoredReplica expected, StoredReplica actual, string id)
    {
        Assert.Equal(expected.State.ToBytes(), actual.State.ToBytes());
        Assert.Equal(expected.Vector, actual.Vector);
        Assert.Equal(Keys(expected.OwnDeltas.Select(d => Serialization.Serialize(d))), Keys(actual.OwnDeltas.Select(d => Serialization.Serialize(d))));
        Assert.Equal(Keys(expected.Intervals.Select(ReplicaCommit.IntervalKey)), Keys(actual.Intervals.Select(ReplicaCommit.IntervalKey)));
        Assert.Equal(expected.PeerAcks.Keys.Order(StringComparer.Ordinal), actual.PeerAcks.Keys.Order(StringComparer.Ordinal));
        foreach (var (peer, v) in expected.PeerAcks) Assert.True(v.Equals(actual.PeerAcks[peer]), $"{id}: acks of {peer} differ");
        Assert.Equal(expected.Counters.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Counters.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    private static string[] Keys(IEnumerable<string> keys) => keys.Order(StringComparer.Ordinal).ToArray();

    private static string[] Keys(IEnumerable<byte[]> values) => values.Select(Convert.ToHexString).Order(StringComparer.Ordinal).ToArray();
}
