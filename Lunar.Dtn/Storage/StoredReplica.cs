using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Storage;

/// <summary>What a store hands back at start-up.</summary>
public sealed record StoredReplica(
    ReplicaState State,
    VersionVector Vector,
    IReadOnlyList<Delta> OwnDeltas,
    IReadOnlyList<SignedInterval> Intervals,
    IReadOnlyDictionary<string, VersionVector> PeerAcks,
    IReadOnlyDictionary<string, long> Counters)
{
    public static StoredReplica Empty { get; } = new(new ReplicaState(), VersionVector.Empty, [], [], new Dictionary<string, VersionVector>(), new Dictionary<string, long>());
}
