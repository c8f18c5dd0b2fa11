using FsCheck.Xunit;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Encode, decode, encode again: the same bytes (the store and the wire rely on it).</summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class RoundTripProperties
{
    private static readonly Dictionary<string, NodeKey> Keys =
        ReplicaSimulation.ReplicaPool.ToDictionary(id => id, TestNodes.KeyFor);

    [Property]
    public void ReplicaState_SerializeDeserialize_GivesIdenticalBytes(Triple<ReplicaState> t)
    {
        foreach (var state in new[] { t.A, t.B, Canon.Merge(t.A, t.C) })
        {
            var bytes = state.ToBytes();
            var decoded = Serialization.Deserialize<ReplicaState>(bytes);
            Assert.Equal(bytes, decoded.ToBytes());
            Assert.Equal(state.Fingerprint(), decoded.Fingerprint());
        }
    }

    [Property]
    public void VersionVector_SerializeDeserialize_GivesIdenticalBytesAndEqualVector(VersionVector v)
    {
        var bytes = Serialization.Serialize(v);
        var decoded = Serialization.Deserialize<VersionVector>(bytes);
        Assert.Equal(bytes, Serialization.Serialize(decoded));
        Assert.Equal(v, decoded);
    }

    [Property]
    public void SignedInterval_SerializeDeserialize_GivesIdenticalBytesAndStillVerifies(Triple<ReplicaState> t)
    {
        foreach (var delta in t.Source!.Deltas.Take(2))
        {
            var key = Keys[delta.Dot.Origin];
            var interval = SignedInterval.Create(delta.Dot.Stream, delta.Dot.Seq - 1, delta.Dot.Seq, delta.Stamp, delta.Fragment, key);
            var bytes = Serialization.Serialize(interval);
            var decoded = Serialization.Deserialize<SignedInterval>(bytes);

            Assert.Equal(bytes, Serialization.Serialize(decoded));
            Assert.True(decoded.VerifyWith(key.PublicKey));
            Assert.Equal(delta.Fragment.ToBytes(), Serialization.Deserialize<ReplicaState>(decoded.Fragment).ToBytes());
        }
    }
}
