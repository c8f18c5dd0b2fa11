using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Storage;

/// <summary>
/// One atomic change to a replica's store. <see cref="Records"/> holds the new value of every record that
/// changed (a fragment of the state, upserted key by key).
/// </summary>
public sealed class ReplicaCommit
{
    public ReplicaState Records { get; } = new();
    public List<Delta> AddedOwnDeltas { get; } = [];
    /// <summary>Own deltas folded away: per stream, every own delta with seq at or below this goes.</summary>
    public Dictionary<StreamId, long> FoldOwnDeltasUpTo { get; } = [];
    public List<SignedInterval> AddedIntervals { get; } = [];
    public List<SignedInterval> RemovedIntervals { get; } = [];
    public VersionVector? Vector { get; set; }
    public Dictionary<string, VersionVector> PeerAcks { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty =>
        Records.IsEmpty && AddedOwnDeltas.Count == 0 && FoldOwnDeltasUpTo.Count == 0 && AddedIntervals.Count == 0 &&
        RemovedIntervals.Count == 0 && Vector is null && PeerAcks.Count == 0 && Counters.Count == 0;

    /// <summary>Stable key of a stored interval.</summary>
    public static string IntervalKey(SignedInterval i) => $"{i.Stream.Origin}/{(byte)i.Stream.Channel}/{i.From:D19}-{i.To:D19}";
}
