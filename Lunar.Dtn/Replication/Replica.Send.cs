using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.Replication;

public sealed partial class Replica
{
    private readonly Dictionary<(StreamId, long, long), SignedInterval> _ownIntervalCache = [];

    /// <summary>
    /// The bundles that bring <paramref name="peer"/> from <paramref name="peerHas"/> up to this replica's
    /// vector: control channel first, then status, each stream as few signed intervals as possible
    /// (own deltas joined, others' forwarded as signed). If this replica no longer holds the deltas the
    /// peer lacks (folded away, or received only as a snapshot), one snapshot instead.
    /// </summary>
    public OutgoingBatch BuildBundles(string peer, VersionVector peerHas)
    {
        lock (_gate)
        {
            EnsureHealthy();
            var byChannel = new SortedDictionary<Channel, List<SignedInterval>>();
            var reach = peerHas;
            foreach (var stream in _vector.Streams.OrderBy(s => s.Channel).ThenBy(s => s))
            {
                var have = peerHas.Get(stream);
                var mine = _vector.Get(stream);
                if (mine <= have) continue;
                // Deltas of an origin whose key is revoked (or unknown) under the version in force would make a peer at
                // that version refuse the whole bundle, other origins' deltas with it: they stay here.
                if (stream.Origin != Id && !_trust.NodeKey(stream.Origin).Ok) continue;
                var intervals = stream.Origin == Id ? OwnIntervals(stream, have, mine) : ForwardChain(stream, have);
                if (intervals is null) return new OutgoingBatch([SealSnapshot(peer)], _vector, true);
                if (intervals.Count == 0) continue;
                if (!byChannel.TryGetValue(stream.Channel, out var list)) byChannel[stream.Channel] = list = [];
                list.AddRange(intervals);
                reach = reach.With(stream, Math.Max(reach.Get(stream), intervals[^1].To));
            }
            var bundles = new List<OutgoingBundle>();
            foreach (var (channel, intervals) in byChannel) bundles.AddRange(Pack(peer, channel, intervals));
            return new OutgoingBatch(bundles, reach, false);
        }
    }

    /// <summary>An acknowledgement: this replica's durable vector, for <paramref name="peer"/>.</summary>
    public OutgoingBundle BuildAck(string peer)
    {
        lock (_gate)
        {
            var payload = Serialization.Serialize(new DeltaPayload([], _vector));
            return new OutgoingBundle(Seal(peer, BundleKind.Ack, BundlePriority.Control, payload), BundleKind.Ack, BundlePriority.Control, 0);
        }
    }

    private OutgoingBundle SealSnapshot(string peer)
    {
        var payload = Serialization.Serialize(new SnapshotPayload(_state.ToBytes(), _vector));
        return new OutgoingBundle(Seal(peer, BundleKind.Snapshot, BundlePriority.Control, payload), BundleKind.Snapshot, BundlePriority.Control, _vector.Total);
    }

    private IEnumerable<OutgoingBundle> Pack(string peer, Channel channel, List<SignedInterval> intervals)
    {
        var priority = channel == Channel.Control ? BundlePriority.Control : BundlePriority.Status;
        var batch = new List<SignedInterval>();
        var size = 0;
        foreach (var interval in intervals)
        {
            if (batch.Count > 0 && size + interval.WireSize > _options.TargetBundleBytes)
            {
                yield return SealDeltas(peer, priority, batch);
                batch = [];
                size = 0;
            }
            batch.Add(interval);
            size += interval.WireSize;
        }
        if (batch.Count > 0) yield return SealDeltas(peer, priority, batch);
    }

    private OutgoingBundle SealDeltas(string peer, BundlePriority priority, List<SignedInterval> intervals)
    {
        var payload = Serialization.Serialize(new DeltaPayload(intervals, _vector));
        return new OutgoingBundle(Seal(peer, BundleKind.Deltas, priority, payload), BundleKind.Deltas, priority, intervals.Sum(i => i.Count));
    }

    private byte[] Seal(string destination, BundleKind kind, BundlePriority priority, byte[] payload)
    {
        var now = _time.GetUtcNow();
        var header = new BundleHeader(BundleHeader.CurrentFormat, Id, ++_bundleSeq, destination, _clock.Now().Value,
            (now + _options.BundleLifetime).ToUnixTimeMilliseconds(), kind, priority, PayloadCompression.None, 0);
        return BundleCodec.Seal(header, payload, _key);
    }

    /// <summary>Own deltas (have, mine] joined into signed intervals; null if some were folded away.</summary>
    private List<SignedInterval>? OwnIntervals(StreamId stream, long have, long mine)
    {
        if (have < _ownFoldedUpTo.GetValueOrDefault(stream)) return null;
        var result = new List<SignedInterval>();
        var log = OwnLog(stream);
        for (var from = have; from < mine; from += _options.MaxDeltasPerInterval)
        {
            var to = Math.Min(mine, from + _options.MaxDeltasPerInterval);
            if (!_ownIntervalCache.TryGetValue((stream, from, to), out var interval))
            {
                var joined = new ReplicaState();
                var maxStamp = HlcTimestamp.Zero;
                for (var seq = from + 1; seq <= to; seq++)
                {
                    if (!log.TryGetValue(seq, out var delta)) return null;
                    joined.MergeFrom(delta.Fragment);
                    if (delta.Stamp > maxStamp) maxStamp = delta.Stamp;
                }
                interval = SignedInterval.Create(stream, from, to, maxStamp, joined, _key);
                if (_ownIntervalCache.Count > 256) _ownIntervalCache.Clear();
                _ownIntervalCache[(stream, from, to)] = interval;
            }
            result.Add(interval);
        }
        return result;
    }

    /// <summary>Stored intervals of another origin that chain from <paramref name="have"/>; null if none starts there.</summary>
    private List<SignedInterval>? ForwardChain(StreamId stream, long have)
    {
        var result = new List<SignedInterval>();
        if (!_intervals.TryGetValue(stream, out var stored)) return null;
        var at = have;
        while (true)
        {
            SignedInterval? best = null;
            foreach (var i in stored)
                if (i.From <= at && i.To > at && (best is null || i.To > best.To)) best = i;
            if (best is null) break;
            result.Add(best);
            at = best.To;
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>Keeps a verified interval of another origin for forwarding, dropping stored ones it covers.</summary>
    private void KeepInterval(SignedInterval interval, Storage.ReplicaCommit? commit)
    {
        if (!_intervals.TryGetValue(interval.Stream, out var list)) _intervals[interval.Stream] = list = [];
        if (list.Any(i => i.From <= interval.From && i.To >= interval.To)) return;
        foreach (var covered in list.Where(i => interval.From <= i.From && interval.To >= i.To).ToArray())
        {
            list.Remove(covered);
            // Added earlier in this same commit: drop it from the commit (a store applies removals first).
            if (commit is not null && !commit.AddedIntervals.Remove(covered)) commit.RemovedIntervals.Add(covered);
        }
        list.Add(interval);
        commit?.AddedIntervals.Add(interval);
    }

    private void MarkFolded(StreamId stream, long upTo, Storage.ReplicaCommit commit)
    {
        if (upTo <= _ownFoldedUpTo.GetValueOrDefault(stream)) return;
        _ownFoldedUpTo[stream] = upTo;
        commit.Counters[FoldCounterPrefix + stream.Channel] = upTo;
        var log = OwnLog(stream);
        while (log.Count > 0 && log.Keys[0] <= upTo) log.RemoveAt(0);
        commit.FoldOwnDeltasUpTo[stream] = upTo;
        _ownIntervalCache.Clear();
    }

    /// <summary>
    /// Causal stability: deltas every known peer has acknowledged are folded into the state (which is the
    /// snapshot) and dropped from the logs. A peer that later needs them gets a snapshot.
    /// </summary>
    private void Fold(Storage.ReplicaCommit commit)
    {
        var peers = _options.Peers.Union(_peerAcks.Keys).Where(p => p != Id).Distinct().ToArray();
        if (peers.Length == 0) return;
        var horizon = peers.Select(p => _peerAcks.GetValueOrDefault(p) ?? VersionVector.Empty).Aggregate((a, b) => a.Meet(b));
        foreach (var stream in _own.Keys.ToArray())
        {
            var h = horizon.Get(stream);
            if (h > _ownFoldedUpTo.GetValueOrDefault(stream)) MarkFolded(stream, h, commit);
        }
        foreach (var (stream, list) in _intervals)
        {
            var h = horizon.Get(stream);
            foreach (var done in list.Where(i => i.To <= h).ToArray())
            {
                list.Remove(done);
                // Kept earlier in this same commit: drop it from the commit (a store applies removals first).
                if (!commit.AddedIntervals.Remove(done)) commit.RemovedIntervals.Add(done);
            }
        }
    }

    private readonly Dictionary<string, (VersionVector Mine, VersionVector Theirs, OutboxEstimate Estimate)> _outboxCache = new(StringComparer.Ordinal);

    /// <summary>
    /// What this replica holds in custody for <paramref name="peer"/>: the bundles (count and bytes, by priority) it
    /// would send now to bring the peer from its acknowledged vector up to date. Cached until either vector moves.
    /// </summary>
    public OutboxEstimate Outbox(string peer)
    {
        var acked = AckedBy(peer);
        var mine = Vector;
        lock (_gate)
            if (_outboxCache.TryGetValue(peer, out var c) && c.Mine.Equals(mine) && c.Theirs.Equals(acked)) return c.Estimate;
        var batch = BuildBundles(peer, acked);
        var bundles = new long[3];
        var bytes = new long[3];
        foreach (var b in batch.Bundles) { bundles[(int)b.Priority]++; bytes[(int)b.Priority] += b.Bytes.Length; }
        var estimate = new OutboxEstimate(bundles, bytes, batch.IsSnapshot);
        lock (_gate) _outboxCache[peer] = (mine, acked, estimate);
        return estimate;
    }

    /// <summary>Deltas and bytes this replica still holds for peers (own log plus intervals kept for forwarding).</summary>
    public (long OwnDeltas, long ForwardIntervals, long ForwardBytes) LogSize()
    {
        lock (_gate)
            return (_own.Values.Sum(l => (long)l.Count), _intervals.Values.Sum(l => (long)l.Count),
                _intervals.Values.SelectMany(l => l).Sum(i => (long)i.WireSize));
    }
}
