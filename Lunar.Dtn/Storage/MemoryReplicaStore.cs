using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Storage;

/// <summary>
/// An in-memory store for the simulator and tests. It keeps serialised copies, exactly like a disk store,
/// so a simulated crash (drop the replica, build a new one on the same store) sees only what was committed.
/// </summary>
public sealed class MemoryReplicaStore : IReplicaStore
{
    private readonly Lock _gate = new();
    private readonly ReplicaState _state = new();
    private VersionVector _vector = VersionVector.Empty;
    private readonly SortedDictionary<Dot, byte[]> _ownDeltas = new();
    private readonly SortedDictionary<string, byte[]> _intervals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VersionVector> _peerAcks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public int Commits { get; private set; }

    public StoredReplica Load()
    {
        lock (_gate)
        {
            return new StoredReplica(
                Serialization.Deserialize<ReplicaState>(_state.ToBytes()),
                _vector,
                _ownDeltas.Values.Select(b => Serialization.Deserialize<Delta>(b)).ToArray(),
                _intervals.Values.Select(b => Serialization.Deserialize<SignedInterval>(b)).ToArray(),
                new Dictionary<string, VersionVector>(_peerAcks),
                new Dictionary<string, long>(_counters));
        }
    }

    public void Commit(ReplicaCommit commit)
    {
        lock (_gate)
        {
            Commits++;
            // Records in a commit are the merged values, so a plain upsert (MergeFrom onto the stored value) is exact.
            _state.MergeFrom(commit.Records);
            foreach (var d in commit.AddedOwnDeltas) _ownDeltas[d.Dot] = Serialization.Serialize(d);
            foreach (var (stream, upTo) in commit.FoldOwnDeltasUpTo)
                foreach (var dot in _ownDeltas.Keys.Where(k => k.Stream == stream && k.Seq <= upTo).ToArray())
                    _ownDeltas.Remove(dot);
            // An interval added and removed in one commit (covered by a later one, or folded) was removed
            // last, so additions go first: the other order resurrected it on reload.
            foreach (var i in commit.AddedIntervals) _intervals[ReplicaCommit.IntervalKey(i)] = Serialization.Serialize(i);
            foreach (var i in commit.RemovedIntervals) _intervals.Remove(ReplicaCommit.IntervalKey(i));
            if (commit.Vector is not null) _vector = commit.Vector;
            foreach (var (p, v) in commit.PeerAcks) _peerAcks[p] = v;
            foreach (var (k, v) in commit.Counters) _counters[k] = v;
        }
    }

    public void Dispose() { }
}
