using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Replication;

public sealed partial class Replica
{
    /// <summary>
    /// Verifies and merges one bundle. Everything is checked before anything is applied; a refused bundle
    /// leaves memory and store untouched. When this returns Applied, the change is durable and may be acknowledged.
    /// </summary>
    public ReceiveOutcome Receive(ReadOnlySpan<byte> bytes)
    {
        ReceiveOutcome outcome;
        lock (_gate)
        {
            EnsureHealthy();
            var opened = BundleCodec.Open(bytes, _trust, Id, _time.GetUtcNow());
            if (!opened.Ok) return ReceiveOutcome.Rejected(opened.Rejection!);
            var b = opened.Bundle!;
            outcome = b.Header.Kind switch
            {
                BundleKind.Deltas or BundleKind.Ack => ReceiveDeltas(b),
                BundleKind.Snapshot => ReceiveSnapshot(b),
                _ => ReceiveOutcome.Rejected(new BundleRejection(RejectionCode.MalformedPayload,
                    $"bundle {b.Header.Id}: kind {b.Header.Kind} is not handled by the replica"), b.Header.Source, b.Header.Kind),
            };
        }
        if (outcome.Status == ReceiveStatus.Applied) Changed?.Invoke();
        return outcome;
    }

    private bool ForwardsTo(string source) => _options.Peers.Union(_peerAcks.Keys).Any(p => p != source && p != Id);

    private ReceiveOutcome ReceiveDeltas(OpenedBundle b)
    {
        var h = b.Header;
        if (!TryParse<DeltaPayload>(b, out var payload, out var bad)) return bad!;
        if (payload!.Intervals is null || payload.SenderHas is null || payload.Intervals.Any(i => i is null || i.Fragment is null || i.Signature is null))
            return Refuse(b, RejectionCode.MalformedPayload, "the payload lacks its intervals, an interval's fragment or signature, or the sender's vector");
        if (h.Kind == BundleKind.Ack && payload!.Intervals.Count > 0)
            return Refuse(b, RejectionCode.MalformedPayload, "an acknowledgement carries no intervals");

        // 1. Decide which intervals would apply, in stream order, against a scratch vector.
        var scratch = new Dictionary<StreamId, long>();
        var toApply = new List<(SignedInterval Interval, ReplicaState Fragment)>();
        var toHold = new List<SignedInterval>();
        var constellations = new List<Model.ConstellationRecord>();
        foreach (var interval in payload!.Intervals.OrderBy(i => i.Stream).ThenBy(i => i.From))
        {
            if (interval.Stream.Origin is null || interval.From < 0 || interval.To <= interval.From)
                return Refuse(b, RejectionCode.MalformedPayload, $"interval {interval.Stream} ({interval.From}, {interval.To}] is not a valid range");
            var have = scratch.TryGetValue(interval.Stream, out var s) ? s : _vector.Get(interval.Stream);
            if (interval.To <= have) continue; // already held: a duplicate, nothing to check or do
            // 2. Check the origin's signature before the fragment is parsed.
            var originKey = _trust.NodeKey(interval.Stream.Origin);
            if (!originKey.Ok)
                return Refuse(b, RejectionCode.BadOriginSignature, $"interval {interval.Stream} ({interval.From}, {interval.To}]: {originKey.Problem}");
            // From its own origin, the interval's bytes are already covered by the bundle signature just checked with the
            // same key; its own signature matters only to third parties, so it is checked here only when this replica
            // has another peer it could forward the interval to (a bad one would then block that peer's stream).
            if ((interval.Stream.Origin != h.Source || ForwardsTo(h.Source)) && !interval.VerifyWith(originKey.PublicKey))
                return Refuse(b, RejectionCode.BadOriginSignature, $"interval {interval.Stream} ({interval.From}, {interval.To}] does not carry a valid signature of {interval.Stream.Origin}");
            // The fragment is parsed and checked even when the interval must wait for an earlier one:
            // nothing unchecked is held, and a bad interval refuses its whole bundle now, not a later one's merge.
            ReplicaState fragment;
            try { fragment = Serialization.Deserialize<ReplicaState>(interval.Fragment); }
            catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException)
            {
                return Refuse(b, RejectionCode.MalformedPayload, $"interval {interval.Stream} ({interval.From}, {interval.To}] holds a state fragment that does not parse");
            }
            var problem = FragmentRules.Check(interval.Stream, fragment);
            if (problem is not null) return Refuse(b, RejectionCode.MalformedPayload, $"interval {interval.Stream} ({interval.From}, {interval.To}]: {problem}");
            constellations.AddRange(fragment.Constellations.Values);
            if (interval.From > have) { toHold.Add(interval); continue; }
            toApply.Add((interval, fragment));
            scratch[interval.Stream] = interval.To;
        }

        // The constellation versions of all intervals together: one may be the predecessor another chains from.
        if (FragmentRules.CheckConstellations(constellations, _state.Constellations, _trust.Source) is { } chain)
            return Refuse(b, RejectionCode.BadConstellation, chain);

        // 3. Apply, then drain what was waiting for these, then commit once, durably.
        var commit = new ReplicaCommit();
        var report = new MergeReport();
        long applied = 0;
        foreach (var (interval, fragment) in toApply) applied += ApplyInterval(interval, fragment, report, commit);
        foreach (var held in toHold) Hold(held);
        applied += DrainPending(report, commit);
        RecordConflicts(report, commit);
        CopyChanged(report, commit.Records);
        if (report.Constellations.Count > 0) AdoptConstellations(commit);
        var ackAdvanced = NotePeerAck(h.Source, payload.SenderHas, commit);
        // Fold on new acks, and on newly kept intervals too: an interval may arrive (late, reordered, or
        // drained from the held ones) after every peer already acknowledged it; no later ack would fold it.
        if (ackAdvanced || applied > 0) Fold(commit);
        CommitOrFault(commit);

        var status = applied > 0 ? ReceiveStatus.Applied : toHold.Count > 0 ? ReceiveStatus.Held : ReceiveStatus.Duplicate;
        var rejection = status == ReceiveStatus.Duplicate && h.Kind == BundleKind.Deltas && !ackAdvanced
            ? new BundleRejection(RejectionCode.Replay, $"bundle {h.Id} brings nothing new: every delta in it is already held (a duplicate or a replay)")
            : null;
        return new ReceiveOutcome(status, h.Kind, h.Source, applied, report.Campaigns.Count + report.Servers.Count + report.Approvals.Count +
            report.Artifacts.Count + report.Revocations.Count + report.Audit.Count + report.Constellations.Count, rejection, h.Kind == BundleKind.Deltas, ackAdvanced);
    }

    private ReceiveOutcome ReceiveSnapshot(OpenedBundle b)
    {
        if (!TryParse<SnapshotPayload>(b, out var payload, out var bad)) return bad!;
        if (payload!.State is null || payload.Covers is null)
            return Refuse(b, RejectionCode.MalformedPayload, "the snapshot lacks its state or the vector it covers");
        if (_vector.Dominates(payload!.Covers))
        {
            var commitAck = new ReplicaCommit();
            var advanced = NotePeerAck(b.Header.Source, payload.Covers, commitAck);
            if (advanced) Fold(commitAck);
            CommitOrFault(commitAck);
            return new ReceiveOutcome(ReceiveStatus.Duplicate, BundleKind.Snapshot, b.Header.Source, 0, 0,
                new BundleRejection(RejectionCode.Replay, $"snapshot {b.Header.Id} holds nothing this replica lacks"), true, advanced);
        }
        ReplicaState state;
        try { state = Serialization.Deserialize<ReplicaState>(payload.State); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException)
        {
            return Refuse(b, RejectionCode.MalformedPayload, $"snapshot {b.Header.Id} holds a state that does not parse");
        }
        if (FragmentRules.CheckRecords(state) is { } problem)
            return Refuse(b, RejectionCode.MalformedPayload, $"snapshot {b.Header.Id}: {problem}");
        if (FragmentRules.CheckConstellations(state.Constellations.Values, _state.Constellations, _trust.Source) is { } chain)
            return Refuse(b, RejectionCode.BadConstellation, $"snapshot {b.Header.Id}: {chain}");
        var commit = new ReplicaCommit();
        var report = _state.MergeFrom(state);
        var before = _vector;
        _vector = _vector.Merge(payload.Covers);
        commit.Vector = _vector;
        // Our own dots in a snapshot beyond our log (a store restored from an old backup) can no longer be
        // sent as intervals: mark them folded so a peer that needs them gets a snapshot too.
        foreach (var stream in _vector.Streams.Where(s => s.Origin == Id))
            if (_vector.Get(stream) > before.Get(stream)) MarkFolded(stream, _vector.Get(stream), commit);
        var drained = DrainPending(report, commit);
        RecordConflicts(report, commit);
        CopyChanged(report, commit.Records);
        if (report.Constellations.Count > 0) AdoptConstellations(commit);
        NotePeerAck(b.Header.Source, payload.Covers, commit);
        Fold(commit);
        CommitOrFault(commit);
        return new ReceiveOutcome(ReceiveStatus.Applied, BundleKind.Snapshot, b.Header.Source,
            _vector.Total - before.Total + drained, report.Servers.Count + report.Campaigns.Count + report.Audit.Count, null, true, true);
    }

    private long ApplyInterval(SignedInterval interval, ReplicaState fragment, MergeReport report, ReplicaCommit commit)
    {
        var have = _vector.Get(interval.Stream);
        report.Add(_state.MergeFrom(fragment));
        _vector = _vector.With(interval.Stream, interval.To);
        commit.Vector = _vector;
        if (interval.Stream.Origin == Id) MarkFolded(interval.Stream, interval.To, commit);
        else KeepInterval(interval, commit);
        _clock.Observe(interval.MaxStamp);
        return interval.To - have;
    }

    private void Hold(SignedInterval interval)
    {
        if (!_pending.TryGetValue(interval.Stream, out var list)) _pending[interval.Stream] = list = new SortedList<long, SignedInterval>();
        if (list.Count >= _options.MaxPendingIntervals) return; // it will be sent again
        list[interval.From] = interval;
    }

    private long DrainPending(MergeReport report, ReplicaCommit commit)
    {
        long applied = 0;
        foreach (var (stream, list) in _pending)
        {
            while (list.Count > 0)
            {
                var first = list.Values[0];
                var have = _vector.Get(stream);
                if (first.To <= have) { list.RemoveAt(0); continue; }
                if (first.From > have) break;
                list.RemoveAt(0);
                var fragment = Serialization.Deserialize<ReplicaState>(first.Fragment);
                if (FragmentRules.Check(stream, fragment) is not null) continue; // signature held, content did not: drop it
                applied += ApplyInterval(first, fragment, report, commit);
            }
        }
        return applied;
    }

    /// <summary>Writes every control conflict this merge revealed to our own audit log.</summary>
    private void RecordConflicts(MergeReport report, ReplicaCommit commit)
    {
        foreach (var conflict in report.Conflicts)
            AppendAudit(new AuditNote(Id, "control-conflict", conflict.Describe()), commit);
        report.Conflicts.Clear();
    }

    private bool NotePeerAck(string peer, VersionVector peerHas, ReplicaCommit commit)
    {
        if (peer == Id) return false;
        var old = _peerAcks.GetValueOrDefault(peer) ?? VersionVector.Empty;
        var merged = old.Merge(peerHas);
        if (merged.Equals(old) && _peerAcks.ContainsKey(peer)) return false;
        _peerAcks[peer] = merged;
        commit.PeerAcks[peer] = merged;
        return true;
    }

    private static bool TryParse<T>(OpenedBundle b, out T? value, out ReceiveOutcome? bad) where T : class
    {
        try
        {
            value = Serialization.Deserialize<T>(b.Payload);
            if (value is null) throw new InvalidOperationException("empty payload");
            bad = null;
            return true;
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException)
        {
            value = null;
            bad = Refuse(b, RejectionCode.MalformedPayload, $"bundle {b.Header.Id}: the {b.Header.Kind} payload does not parse");
            return false;
        }
    }

    private static ReceiveOutcome Refuse(OpenedBundle b, RejectionCode code, string reason) =>
        ReceiveOutcome.Rejected(new BundleRejection(code, $"bundle {b.Header.Id}: {reason}"), b.Header.Source, b.Header.Kind);
}
