using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Timing;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Replication;

/// <summary>
/// Keeps one peer up to date over one link. When the link comes up it pushes at once everything the peer's
/// last acknowledged vector lacks (no request round trip); it pushes again shortly after every change;
/// it acknowledges what it receives once durable; and it retransmits what stays unacknowledged after a
/// timeout that follows the measured round trip, doubling on every miss up to a cap.
/// Custody stays with the replica's log until the peer acknowledges.
/// </summary>
public sealed class PeerSync : IDisposable
{
    private readonly Replica _replica;
    private readonly IBundleLink _link;
    private readonly TimeProvider _time;
    private readonly SyncOptions _options;
    private readonly Lock _gate = new();
    private readonly OneShotTimer _pushTimer, _ackTimer, _retransmitTimer;
    private VersionVector _inflight = VersionVector.Empty;
    private int _misses;
    private TimeSpan? _srtt;
    private DateTimeOffset _lastPush;
    private bool _disposed;

    /// <param name="log">Where a failing timer action is logged (contained: see <see cref="OneShotTimer"/>).</param>
    public PeerSync(Replica replica, IBundleLink link, SyncOptions? options = null, ILogger? log = null)
    {
        _replica = replica;
        _link = link;
        _time = replica.Time;
        _options = options ?? new SyncOptions();
        _pushTimer = new OneShotTimer(_time, Push, log, "sync push");
        _ackTimer = new OneShotTimer(_time, SendAck, log, "sync acknowledgement");
        _retransmitTimer = new OneShotTimer(_time, Retransmit, log, "sync retransmission");
        _link.Received += OnReceived;
        _link.StateChanged += OnLinkState;
        _replica.Changed += OnLocalChange;
        if (_link.IsUp) Push();
    }

    public string PeerId => _link.PeerId;

    public SyncCounters Counters { get; } = new();

    /// <summary>Raised after every received bundle, with what became of it.</summary>
    public event Action<ReceiveOutcome>? Outcome;

    /// <summary>Deltas the peer has not acknowledged yet.</summary>
    public long Outstanding => _replica.Vector.CountMissingFrom(_replica.AckedBy(PeerId));

    public DateTimeOffset? LastContact { get; private set; }

    private void OnLinkState(bool up)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _inflight = VersionVector.Empty;
            _retransmitTimer.Cancel();
            _pushTimer.Cancel();
            _ackTimer.Cancel();
            _misses = 0;
        }
        // A contact opened: push the whole catch-up at once, without waiting to be asked.
        if (up) Push();
    }

    private long _controlSeen = -1;

    private void OnLocalChange()
    {
        lock (_gate)
        {
            if (_disposed || !_link.IsUp) return;
            // Control changes go soon; status-only changes are gathered a little longer.
            var control = _replica.Vector.Entries.Where(e => e.Stream.Channel == Crdt.Channel.Control).Sum(e => e.Seq);
            var due = control != _controlSeen ? _options.BatchDelay : _options.StatusBatchDelay;
            _controlSeen = control;
            if (_pushTimer.IsPending && (due == _options.StatusBatchDelay || _pushDue <= _time.GetUtcNow() + due)) return;
            _pushDue = _time.GetUtcNow() + due;
            _pushTimer.Schedule(due);
        }
    }

    private DateTimeOffset _pushDue;

    private void OnReceived(ReadOnlyMemory<byte> bytes)
    {
        // Artifact chunks and their status travel on the same link but are the artifact transfer's (Transfer/ArtifactPeerTransfer).
        if (Bundles.BundleCodec.PeekHeader(bytes.Span)?.Kind is Bundles.BundleKind.ArtifactChunk or Bundles.BundleKind.ArtifactStatus) return;
        var outcome = _replica.Receive(bytes.Span);
        lock (_gate)
        {
            if (_disposed) return;
            Counters.Count(outcome, bytes.Length);
            if (outcome.Status != ReceiveStatus.Rejected) LastContact = _time.GetUtcNow();
            if (outcome.PeerAckAdvanced) OnAckAdvanced();
            if (outcome.ShouldAcknowledge && !_ackTimer.IsPending) _ackTimer.Schedule(_options.AckDelay);
        }
        Outcome?.Invoke(outcome);
    }

    private void OnAckAdvanced()
    {
        var acked = _replica.AckedBy(PeerId);
        if (!acked.Dominates(_inflight)) return;
        // Everything in flight arrived: measure the round trip and stop the retransmission clock.
        var sample = _time.GetUtcNow() - _lastPush;
        _srtt = _srtt is null ? sample : (_srtt.Value * 7 + sample) / 8;
        _misses = 0;
        _retransmitTimer.Cancel();
    }

    private void Push()
    {
        lock (_gate)
        {
            _pushTimer.Cancel();
            if (_disposed || !_link.IsUp) return;
            var has = _replica.AckedBy(PeerId).Merge(_inflight);
            var batch = _replica.BuildBundles(PeerId, has);
            if (batch.Bundles.Count == 0) return;
            foreach (var b in batch.Bundles)
            {
                _link.Send(b.Bytes, b.Priority);
                Counters.Sent(b);
            }
            _ackTimer.Cancel(); // every bundle carries our vector: it acknowledges too
            _inflight = batch.Reaches;
            _lastPush = _time.GetUtcNow();
            if (!_retransmitTimer.IsPending) _retransmitTimer.Schedule(RetransmitTimeout());
        }
    }

    private void SendAck()
    {
        lock (_gate)
        {
            _ackTimer.Cancel();
            if (_disposed || !_link.IsUp) return;
            var ack = _replica.BuildAck(PeerId);
            _link.Send(ack.Bytes, ack.Priority);
            Counters.Sent(ack);
        }
    }

    private void Retransmit()
    {
        lock (_gate)
        {
            _retransmitTimer.Cancel();
            if (_disposed || !_link.IsUp) return;
            if (_replica.AckedBy(PeerId).Dominates(_inflight)) return;
            _misses++;
            Counters.Retransmissions++;
            _inflight = VersionVector.Empty; // forget what we think is in flight: resend from the last ack
        }
        Push();
    }

    private TimeSpan RetransmitTimeout()
    {
        var rto = _srtt is { } s ? s * 2 + TimeSpan.FromMilliseconds(100) : _options.InitialRetransmit;
        if (rto < _options.MinRetransmit) rto = _options.MinRetransmit;
        for (var i = 0; i < _misses && rto < _options.MaxRetransmit; i++) rto *= 2;
        return rto > _options.MaxRetransmit ? _options.MaxRetransmit : rto;
    }


    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pushTimer.Cancel();
            _ackTimer.Cancel();
            _retransmitTimer.Cancel();
        }
        _link.Received -= OnReceived;
        _link.StateChanged -= OnLinkState;
        _replica.Changed -= OnLocalChange;
    }
}
