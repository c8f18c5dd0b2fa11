using System.Threading.Channels;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Timing;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Transfer;

/// <summary>
/// Moves artifact content to and from one peer over its link, as signed chunk bundles at the lowest priority (the link's
/// priority queue sends every control and status bundle first, and its bandwidth budget paces the chunks).
/// <para>
/// Resume without resending: when the link comes up each side sends a full status (every artifact it holds whole, and the
/// durable bitmap of every one it is receiving), and sends no chunk before it has the peer's. So after a blackout, or a
/// restart of either side, the sender knows exactly which chunks arrived (the receiver flushes a chunk and its bit before it
/// acknowledges), whatever it remembered itself; within a session, acknowledgements keep it up to date. A chunk the peer
/// has acknowledged is never sent again, unless the peer discards the whole artifact because its assembled content failed
/// the signed SHA-256 (then it asks for everything again).
/// </para>
/// </summary>
public sealed class ArtifactPeerTransfer : IDisposable
{
    private readonly Replica _replica;
    private readonly IBundleLink _link;
    private readonly ArtifactContentStore _store;
    private readonly ArtifactReceiver _receiver;
    private readonly TransferOptions _options;
    private readonly ILogger? _log;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // What the peer holds, as last heard from it (kept through a blackout for the views; replaced by its next full status).
    private bool _peerKnown;
    private readonly HashSet<string> _peerHeld = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChunkBitmap> _peerPartial = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset RetryAt, TimeSpan Backoff)> _peerUnknown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutgoingArtifact> _outgoing = new(StringComparer.Ordinal);
    private DateTimeOffset _lastProgress;

    // Acknowledgements owed to the peer for chunks it sent us.
    private readonly HashSet<string> _ackPartial = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ackHeld = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ackUnknown = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ackRestarted = new(StringComparer.Ordinal);
    private int _ackChunks;
    private readonly OneShotTimer _ackTimer, _wakeTimer, _helloTimer;
    private bool _disposed;

    // Received chunks are written (two fsyncs each) by one worker, not on the link's receive loop: the loop keeps draining the
    // socket, so a control bundle behind chunks is merged at once instead of waiting for their writes, and what a blackout cuts
    // off is only what was still on the wire. The queue is bounded (back-pressure on the loop when full); the sender's window
    // keeps it from filling. A hello (full status) goes through the same queue, so it reports every chunk that arrived before it.
    private readonly Channel<Work> _work;
    private readonly Task _worker;
    private long _session;

    public ArtifactPeerTransfer(Replica replica, IBundleLink link, ArtifactContentStore store, ArtifactReceiver receiver,
        TransferOptions? options = null, ILogger? log = null)
    {
        _replica = replica;
        _link = link;
        _store = store;
        _receiver = receiver;
        _options = options ?? new TransferOptions();
        _log = log;
        _time = replica.Time;
        _ackTimer = new OneShotTimer(_time, () => { lock (_gate) FlushAcksLocked(); }, log, "artifact acknowledgement");
        _wakeTimer = new OneShotTimer(_time, Wake, log, "artifact stall");
        _helloTimer = new OneShotTimer(_time, HelloAgain, log, "artifact hello");
        _work = System.Threading.Channels.Channel.CreateBounded<Work>(new BoundedChannelOptions(_options.WindowChunks + 16)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _worker = Task.Run(WorkAsync);
        _link.Received += OnReceived;
        _link.StateChanged += OnLinkState;
        _store.Stored += OnStored;
        if (_link.IsUp) OnLinkState(true);
    }

    /// <summary>One item for the worker: a received chunk bundle, a hello to send for session <c>HelloFor</c>, or a drain marker.</summary>
    private sealed record Work(ReadOnlyMemory<byte> Bundle, long HelloFor, TaskCompletionSource? Drained = null);

    private async Task WorkAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (work.Drained is not null) work.Drained.TrySetResult();
                else if (work.HelloFor == 0) ReceiveChunks(Batch(work));
                else lock (_gate) if (!_disposed && _link.IsUp && work.HelloFor == _session) SendStatusLocked(FullStatus(wantsReply: false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The edge of the worker loop: a failed write (disk full, I/O error) acknowledged nothing, and the sender's
                // stall timer sends those chunks again; the worker must live on to serve the next ones.
                _log?.LogError(ex, "Processing received artifact chunks from {Peer} failed", PeerId);
            }
        }
    }

    /// <summary>This chunk and those queued right behind it (up to a limit): written with one group commit.</summary>
    private List<ReadOnlyMemory<byte>> Batch(Work first)
    {
        const int maxBatch = 64;
        var batch = new List<ReadOnlyMemory<byte>> { first.Bundle };
        while (batch.Count < maxBatch && _work.Reader.TryPeek(out var next) && next.Drained is null && next.HelloFor == 0 && _work.Reader.TryRead(out next))
            batch.Add(next.Bundle);
        return batch;
    }

    private void Enqueue(Work work)
    {
        if (_work.Writer.TryWrite(work)) return;
        try { _work.Writer.WriteAsync(work).AsTask().GetAwaiter().GetResult(); } // full: hold the caller (the receive loop)
        catch (ChannelClosedException) { }
    }

    /// <summary>
    /// Completes when every chunk received (and every hello queued) before the call has been written, acknowledged or sent
    /// (tests, shutdown). When the queue is full the marker waits for room behind it rather than completing at once, which
    /// would claim a drain that did not happen; after <see cref="Dispose"/> there is nothing left to wait for.
    /// </summary>
    public async Task DrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try { await _work.Writer.WriteAsync(new Work(ReadOnlyMemory<byte>.Empty, 0, drained)).ConfigureAwait(false); }
        catch (ChannelClosedException) { return; }
        await drained.Task.ConfigureAwait(false);
    }

    public string PeerId => _link.PeerId;

    public TransferCounters Counters { get; } = new();

    /// <summary>Raised after every chunk received from the peer, with what became of it (tests, logs).</summary>
    public event Action<ChunkOutcome>? ChunkReceived;

    /// <summary>True when the peer's last status says it holds <paramref name="sha256"/> whole.</summary>
    public bool PeerHolds(string sha256) { lock (_gate) return _peerHeld.Contains(sha256); }

    /// <summary>Every artifact this node is sending, or would send, to the peer, with its progress.</summary>
    public IReadOnlyList<OutgoingProgress> Outgoing()
    {
        lock (_gate) return _outgoing.Keys.Order(StringComparer.Ordinal).Select(ProgressLocked).ToArray();
    }

    /// <summary>Progress of <paramref name="sha256"/> towards the peer, or null when it is not being sent there.</summary>
    public OutgoingProgress? OutgoingOf(string sha256)
    {
        lock (_gate) return _outgoing.ContainsKey(sha256) ? ProgressLocked(sha256) : null;
    }

    private OutgoingProgress ProgressLocked(string sha)
    {
        var o = _outgoing[sha];
        var size = o.Record.SizeBytes;
        var bitmap = _peerPartial.GetValueOrDefault(sha);
        var acked = bitmap is null ? 0 : ChunkLayout.HeldBytes(size, bitmap);
        var now = _time.GetUtcNow();
        var state = !_link.IsUp ? "link-down" : !_peerKnown ? "waiting-for-peer"
            : _peerUnknown.TryGetValue(sha, out var u) && u.RetryAt > now ? "peer-lacks-metadata" : "sending";
        var rate = o.Rate.BytesPerSecond(now);
        return new OutgoingProgress(sha, PeerId, state, acked, size, bitmap?.Held ?? 0, ChunkLayout.Count(size), o.InFlight.Count, o.ChunksSent,
            rate is { } r ? Math.Round(r) : null, state == "sending" ? o.Rate.EtaSeconds(now, size - acked) : null);
    }

    private void OnLinkState(bool up)
    {
        lock (_gate)
        {
            if (_disposed) return;
            // Whatever was in flight on the old session either arrived (the peer's next full status will say so) or was lost.
            _peerKnown = false;
            foreach (var o in _outgoing.Values) o.InFlight.Clear();
            ClearAcksLocked();
            _ackTimer.Cancel();
            _session++;
            if (up && _options.ProcessOnReceiveLoop) SendStatusLocked(FullStatus(wantsReply: false)); // nothing is queued behind
            // The hello waits behind the chunks already received, so its bitmaps include them.
            else if (up) _ = _work.Writer.WriteAsync(new Work(ReadOnlyMemory<byte>.Empty, _session)).AsTask();
            if (up) _helloTimer.Schedule(_options.HelloRetry);
            else _helloTimer.Cancel();
        }
    }

    private void OnStored(string sha)
    {
        lock (_gate)
        {
            if (_disposed) return;
            // Tell the peer at once, so it never sends us what we now hold; then see whether the peer lacks it.
            if (_link.IsUp) SendStatusLocked(new ArtifactStatusPayload(false, [Convert.FromHexString(sha)], [], [], false));
            PumpLocked();
        }
    }

    private void OnReceived(ReadOnlyMemory<byte> bytes)
    {
        var kind = BundleCodec.PeekHeader(bytes.Span)?.Kind;
        if (kind is null || !ArtifactBundles.IsArtifactKind(kind.Value)) return;
        if (kind == BundleKind.ArtifactStatus) ReceiveNow(bytes, kind.Value);
        else if (_options.ProcessOnReceiveLoop) ReceiveChunks([bytes]);
        else Enqueue(new Work(bytes, 0));
    }

    private void ReceiveNow(ReadOnlyMemory<byte> bytes, BundleKind kind)
    {
        if (Open(bytes, kind) is { } b) OnStatus(b, bytes.Length);
    }

    /// <summary>The bundle, its signature, signer (this link's peer), destination and expiry checked; null (counted, logged) when refused.</summary>
    private OpenedBundle? Open(ReadOnlyMemory<byte> bytes, BundleKind kind)
    {
        var opened = BundleCodec.Open(bytes.Span, _replica.Trust, _replica.Id, _time.GetUtcNow());
        if (opened.Ok && opened.Bundle!.Header.Source == PeerId && opened.Bundle.Header.Kind == kind) return opened.Bundle;
        var reason = opened.Ok ? $"bundle {opened.Bundle!.Header.Id} comes from {opened.Bundle.Header.Source} over the link of {PeerId}" : opened.Rejection!.ToString();
        lock (_gate)
        {
            Counters.Refuse(reason);
            if (kind == BundleKind.ArtifactChunk) { Counters.ChunksReceived++; Counters.ChunkBytesReceived += bytes.Length; }
        }
        _log?.LogWarning("Refused an artifact bundle from {Peer}: {Reason}", PeerId, reason);
        if (kind == BundleKind.ArtifactChunk) ChunkReceived?.Invoke(new ChunkOutcome(ChunkResult.Refused, null, -1, reason));
        return null;
    }

    private void ReceiveChunks(List<ReadOnlyMemory<byte>> batch)
    {
        var opened = new List<(OpenedBundle Bundle, int Length)>();
        foreach (var bytes in batch)
            if (Open(bytes, BundleKind.ArtifactChunk) is { } b) opened.Add((b, bytes.Length));
        if (opened.Count == 0) return;
        var outcomes = _receiver.AcceptAll(opened.Select(o => o.Bundle).ToArray());
        lock (_gate)
        {
            if (_disposed) return;
            var flushNow = false;
            for (var i = 0; i < outcomes.Count; i++) flushNow |= NoteChunkLocked(outcomes[i], opened[i].Length);
            if (flushNow || _ackChunks >= _options.AckEveryChunks) FlushAcksLocked();
            else if (!_ackTimer.IsPending) _ackTimer.Schedule(_options.AckDelay);
        }
        foreach (var outcome in outcomes)
        {
            if (outcome.Result is ChunkResult.Refused or ChunkResult.UnknownArtifact or ChunkResult.Discarded)
                _log?.LogWarning("Artifact chunk from {Peer}: {Reason}", PeerId, outcome.Reason);
            else if (outcome.Result == ChunkResult.Completed)
                _log?.LogInformation("Artifact {Sha} received whole from {Peer} and verified against its signed sha256", outcome.Sha256, PeerId);
            ChunkReceived?.Invoke(outcome);
        }
    }

    /// <summary>Counts a received chunk and notes what to acknowledge; true when the acknowledgement should go at once.</summary>
    private bool NoteChunkLocked(ChunkOutcome outcome, int length)
    {
        Counters.ChunksReceived++;
        Counters.ChunkBytesReceived += length;
        switch (outcome.Result)
        {
            case ChunkResult.Stored: _ackPartial.Add(outcome.Sha256!); break;
            case ChunkResult.Duplicate:
                Counters.DuplicateChunks++;
                if (_store.Has(outcome.Sha256!)) _ackHeld.Add(outcome.Sha256!); else _ackPartial.Add(outcome.Sha256!);
                break;
            case ChunkResult.Completed:
                Counters.ArtifactsReceived++;
                _ackPartial.Remove(outcome.Sha256!);
                _ackHeld.Add(outcome.Sha256!);
                break;
            case ChunkResult.UnknownArtifact: Counters.Refuse(outcome.Reason!); _ackUnknown.Add(outcome.Sha256!); break;
            case ChunkResult.Discarded:
                Counters.HashMismatches++;
                Counters.Refuse(outcome.Reason!);
                _ackRestarted.Add(outcome.Sha256!);
                break;
            default: Counters.Refuse(outcome.Reason!); break;
        }
        _ackChunks++;
        return outcome.Result is ChunkResult.Completed or ChunkResult.Discarded;
    }

    private void FlushAcksLocked()
    {
        _ackTimer.Cancel();
        if (_disposed || !_link.IsUp || _ackChunks == 0) { ClearAcksLocked(); return; }
        var partial = _ackPartial.Concat(_ackRestarted).Distinct(StringComparer.Ordinal)
            .Select(sha => new ChunkHolding(Convert.FromHexString(sha), (_receiver.BitmapOf(sha) ?? EmptyBitmapOf(sha)).ToBytes(), _ackRestarted.Contains(sha)))
            .ToList();
        SendStatusLocked(new ArtifactStatusPayload(false, _ackHeld.Select(Convert.FromHexString).ToList(), partial,
            _ackUnknown.Select(Convert.FromHexString).ToList(), false));
        ClearAcksLocked();
    }

    private ChunkBitmap EmptyBitmapOf(string sha) =>
        new(ChunkLayout.Count(_replica.Read((s, _) => s.Artifacts.GetValueOrDefault(sha))?.SizeBytes ?? 0));

    private void ClearAcksLocked()
    {
        _ackPartial.Clear();
        _ackHeld.Clear();
        _ackUnknown.Clear();
        _ackRestarted.Clear();
        _ackChunks = 0;
    }

    private void OnStatus(OpenedBundle b, int length)
    {
        ArtifactStatusPayload? status;
        try { status = Serialization.Deserialize<ArtifactStatusPayload>(b.Payload); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException) { status = null; }
        lock (_gate)
        {
            if (_disposed) return;
            Counters.StatusBytesReceived += length;
            if (status?.Held is null || status.Partial is null || status.Unknown is null || status.Partial.Any(p => p?.Sha256 is null || p.Bitmap is null))
            {
                Counters.Refuse($"status bundle {b.Header.Id}: the payload is not an artifact status");
                return;
            }
            ApplyStatusLocked(status);
            if (status.WantsReply) SendStatusLocked(FullStatus(wantsReply: false));
            PumpLocked();
        }
    }

    private void ApplyStatusLocked(ArtifactStatusPayload status)
    {
        var now = _time.GetUtcNow();
        _lastProgress = now;
        if (status.Full)
        {
            _peerKnown = true;
            _peerHeld.Clear();
            _peerPartial.Clear();
            _peerUnknown.Clear();
            foreach (var o in _outgoing.Values) o.InFlight.Clear();
        }
        foreach (var sha in status.Held.Where(h => h is { Length: 32 }).Select(Convert.ToHexStringLower))
        {
            _peerHeld.Add(sha);
            _peerPartial.Remove(sha);
            if (_outgoing.Remove(sha))
            {
                Counters.ArtifactsDelivered++;
                _log?.LogInformation("Artifact {Sha} is now held whole by {Peer}", sha, PeerId);
            }
        }
        foreach (var p in status.Partial.Where(p => p.Sha256.Length == 32))
        {
            var sha = Convert.ToHexStringLower(p.Sha256);
            var record = _replica.Read((s, _) => s.Artifacts.GetValueOrDefault(sha));
            if (record is null || ChunkBitmap.FromBytes(ChunkLayout.Count(record.SizeBytes), p.Bitmap) is not { } theirs) continue;
            _outgoing.TryGetValue(sha, out var o);
            if (p.Restarted || status.Full || !_peerPartial.TryGetValue(sha, out var known)) _peerPartial[sha] = theirs;
            else foreach (var i in Enumerable.Range(0, theirs.Count).Where(theirs.Has)) known.Set(i);
            if (p.Restarted) o?.InFlight.Clear();
            var held = _peerPartial[sha];
            o?.InFlight.RemoveWhere(held.Has);
            o?.Rate.Note(now, ChunkLayout.HeldBytes(record.SizeBytes, held));
        }
        foreach (var sha in status.Unknown.Where(h => h is { Length: 32 }).Select(Convert.ToHexStringLower))
        {
            var backoff = _peerUnknown.TryGetValue(sha, out var u) ? TimeSpan.FromTicks(Math.Min(u.Backoff.Ticks * 2, _options.MaxUnknownRetry.Ticks)) : _options.UnknownRetry;
            _peerUnknown[sha] = (now + backoff, backoff);
            if (_outgoing.TryGetValue(sha, out var o)) o.InFlight.Clear();
        }
    }

    /// <summary>Sends chunks the peer lacks, oldest artifact first, until the window is full.</summary>
    private void PumpLocked()
    {
        if (_disposed || !_link.IsUp || !_peerKnown) return;
        var now = _time.GetUtcNow();
        var inFlight = _outgoing.Values.Sum(o => o.InFlight.Count);
        var room = _options.WindowChunks - inFlight;
        // The records are looked up under the replica's lock: its live dictionary must not be enumerated outside it, where a
        // concurrent merge could change it (issue 16, defect 5).
        var held = _store.Held();
        var candidates = _replica.Read((s, _) => held.Select(sha => s.Artifacts.GetValueOrDefault(sha)).OfType<ArtifactRecord>().ToArray())
            .Where(r => !_peerHeld.Contains(r.Sha256) && r.SizeBytes > 0)
            .Where(r => !_peerUnknown.TryGetValue(r.Sha256, out var u) || u.RetryAt <= now)
            .OrderBy(r => r.CreatedAtMs).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray();
        foreach (var record in candidates)
        {
            if (room <= 0) break;
            if (!_outgoing.TryGetValue(record.Sha256, out var o))
            {
                _outgoing[record.Sha256] = o = new OutgoingArtifact(record);
                _log?.LogInformation("Sending artifact {Name} {Version} ({Sha}, {Size} bytes) to {Peer}", record.Name, record.Version, record.Sha256, record.SizeBytes, PeerId);
            }
            if (!_peerPartial.TryGetValue(record.Sha256, out var peerHas)) _peerPartial[record.Sha256] = peerHas = new ChunkBitmap(ChunkLayout.Count(record.SizeBytes));
            if (o.InFlight.Count == 0) o.Rate.Note(now, ChunkLayout.HeldBytes(record.SizeBytes, peerHas));
            var toSend = peerHas.Missing().Where(i => !o.InFlight.Contains(i)).Take(room).ToArray();
            if (toSend.Length == 0) continue;
            if (_store.PathOf(record.Sha256) is not { } path) continue;
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            foreach (var index in toSend)
            {
                var data = new byte[ChunkLayout.Length(record.SizeBytes, index)];
                RandomAccess.Read(file, data, ChunkLayout.Offset(index));
                var payload = Serialization.Serialize(new ArtifactChunkPayload(Convert.FromHexString(record.Sha256), index, ChunkLayout.Offset(index), data));
                var bundle = ArtifactBundles.Seal(_replica, PeerId, BundleKind.ArtifactChunk, payload, _options.ChunkLifetime);
                _link.Send(bundle, BundlePriority.Bulk);
                o.InFlight.Add(index);
                o.ChunksSent++;
                Counters.ChunksSent++;
                Counters.ChunkBytesSent += bundle.Length;
                room--;
            }
            // The stall clock runs from the last acknowledgement, or from when an idle window started to fill.
            if (inFlight == 0) _lastProgress = now;
            inFlight += toSend.Length;
        }
        ArmWakeLocked(now);
    }

    /// <summary>One timer for what needs a later look: a stalled window, an artifact the peer did not know yet.</summary>
    private void ArmWakeLocked(DateTimeOffset now)
    {
        DateTimeOffset? due = null;
        if (_outgoing.Values.Any(o => o.InFlight.Count > 0)) due = _lastProgress + _options.StallTimeout;
        foreach (var (_, u) in _peerUnknown) if (u.RetryAt > now && (due is null || u.RetryAt < due)) due = u.RetryAt;
        if (due is null) { _wakeTimer.Cancel(); return; }
        var wait = due.Value - now;
        _wakeTimer.Schedule(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(10));
    }

    /// <summary>
    /// No chunk goes before the peer's full status, so a hello lost on a lossy link (or the peer's lost answer) would stall the
    /// transfer until the link flapped: until the peer's status arrives, ask for it again now and then.
    /// </summary>
    private void HelloAgain()
    {
        lock (_gate)
        {
            if (_disposed || !_link.IsUp || _peerKnown) return;
            SendStatusLocked(FullStatus(wantsReply: true));
            _helloTimer.Schedule(_options.HelloRetry);
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            if (_disposed || !_link.IsUp) return;
            var now = _time.GetUtcNow();
            if (_peerKnown && _outgoing.Values.Any(o => o.InFlight.Count > 0) && now - _lastProgress >= _options.StallTimeout)
            {
                // Chunks in flight and no word for a long time (a chunk refused unseen, an acknowledgement lost): ask for the
                // peer's full status; its reply replaces what we believe it holds, and the missing chunks go again.
                Counters.Stalls++;
                _lastProgress = now;
                SendStatusLocked(FullStatus(wantsReply: true));
            }
            PumpLocked();
        }
    }

    private ArtifactStatusPayload FullStatus(bool wantsReply)
    {
        var held = _store.Held().Select(Convert.FromHexString).ToList();
        var partial = _receiver.Partials().Select(p => new ChunkHolding(Convert.FromHexString(p.Sha256), p.Bitmap.ToBytes(), false)).ToList();
        return new ArtifactStatusPayload(true, held, partial, [], wantsReply);
    }

    private void SendStatusLocked(ArtifactStatusPayload status)
    {
        var bundle = ArtifactBundles.Seal(_replica, PeerId, BundleKind.ArtifactStatus, Serialization.Serialize(status), _options.ChunkLifetime);
        _link.Send(bundle, BundlePriority.Bulk);
        Counters.StatusBundlesSent++;
        Counters.StatusBytesSent += bundle.Length;
    }


    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _ackTimer.Cancel();
            _wakeTimer.Cancel();
            _helloTimer.Cancel();
        }
        _link.Received -= OnReceived;
        _link.StateChanged -= OnLinkState;
        _store.Stored -= OnStored;
        _work.Writer.TryComplete();
        // Let the chunk being written finish (its files are closed with the receiver afterwards).
        _worker.Wait(TimeSpan.FromSeconds(10));
    }
}
