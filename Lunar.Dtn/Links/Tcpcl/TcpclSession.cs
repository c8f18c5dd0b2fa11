using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>
/// One TCPCLv4 session (RFC 9174), inside TLS when both contact headers offer it (<see cref="TcpclTls"/>, §4.4).
/// <see cref="EstablishAsync"/> exchanges contact headers, runs the TLS handshake if both set CAN_TLS, exchanges SESS_INITs
/// and negotiates: keepalive = the smaller wish (0 disables), segments sized to the peer's segment MRU, transfers no
/// larger than its transfer MRU. Then one reader loop handles every message: segments are reassembled and each is
/// acknowledged with the length received so far; a transfer is handed up only when its END segment has arrived, so a
/// session cut mid-transfer delivers nothing and the sender sends the bundle again in a new session. Unknown or
/// malformed messages get a MSG_REJECT and end the session; a peer silent for twice the keepalive interval is
/// ended with SESS_TERM "idle timeout". Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class TcpclSession : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly IDisposable? _connection;
    private readonly TcpclSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _transferGate = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _keepaliveTimer;
    private long _lastReceivedTicks;
    private long _lastSentTicks;
    private ulong _nextTransferId;
    private Outgoing? _outgoing;
    private Incoming? _incoming;
    private ulong _refusedIncoming = ulong.MaxValue;
    private int _terminating;

    private TcpclSession(Stream stream, IDisposable? connection, TcpclSettings settings, SessInit peer, TimeProvider time, ILogger log, string? tlsPeer)
    {
        TlsPeer = tlsPeer;
        _stream = stream;
        _connection = connection;
        _settings = settings;
        _time = time;
        _log = log;
        Peer = peer;
        KeepaliveInterval = settings.KeepaliveSeconds == 0 || peer.KeepaliveSeconds == 0
            ? TimeSpan.Zero
            : TimeSpan.FromSeconds(Math.Min(settings.KeepaliveSeconds, peer.KeepaliveSeconds));
        _lastReceivedTicks = _lastSentTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>The peer's SESS_INIT: its node id and what it can receive.</summary>
    public SessInit Peer { get; }

    /// <summary>The node whose certificate the peer presented when the session runs inside TLS; null for a plaintext session.</summary>
    public string? TlsPeer { get; }

    /// <summary>True when the session runs inside TLS 1.3 (both contact headers offered it).</summary>
    public bool IsTls => TlsPeer is not null;

    /// <summary>The negotiated keepalive interval; zero when either side wants none.</summary>
    public TimeSpan KeepaliveInterval { get; }

    /// <summary>Largest segment this session sends: the peer's segment MRU.</summary>
    public ulong SegmentSize => Math.Min(Peer.SegmentMru, int.MaxValue);

    public long SegmentsSent => Interlocked.Read(ref _segmentsSent);
    private long _segmentsSent;

    public long SegmentsReceived => Interlocked.Read(ref _segmentsReceived);
    private long _segmentsReceived;

    /// <summary>When the last message from the peer arrived (what the idle timeout measures from).</summary>
    public DateTimeOffset LastReceived => new(Interlocked.Read(ref _lastReceivedTicks), TimeSpan.Zero);

    /// <summary>Why the session ended (null while it runs).</summary>
    public string? EndReason { get; private set; }

    /// <summary>Completes when the session has ended, for whatever reason.</summary>
    public Task Completion => _ended.Task;

    /// <summary>Raised on the reader loop with every complete incoming transfer (one bundle).</summary>
    public event Action<TcpclSession, byte[]>? BundleReceived;

    /// <summary>
    /// Contact header and SESS_INIT exchange on a connected stream (either side may go first: both send, then read), with TLS
    /// between them when both contact headers set CAN_TLS (<paramref name="active"/>: this side opened the connection, so it is
    /// the TLS client). A wrong magic or version, a critical session extension it does not know, a refused certificate, a peer
    /// without TLS when <see cref="TcpclTls.Required"/>, or a timeout throws <see cref="TcpclProtocolException"/> /
    /// <see cref="OperationCanceledException"/> after telling the peer when it can.
    /// </summary>
    public static async Task<TcpclSession> EstablishAsync(Stream stream, IDisposable? connection, TcpclSettings settings, TimeProvider time, ILogger log, CancellationToken ct,
        bool active = false)
    {
        settings.Validate();
        using var timeout = new CancellationTokenSource(settings.ContactTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var token = linked.Token;
        try
        {
            await stream.WriteAsync(TcpclCodec.ContactHeader(canTls: settings.Tls is not null), token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
            var flags = await TcpclCodec.ReadContactHeaderAsync(stream, token).ConfigureAwait(false);
            string? tlsPeer = null;
            if (settings.Tls is { } tls && (flags & TcpclCodec.CanTls) != 0)
                (stream, tlsPeer) = await StartTlsAsync(stream, tls, active, time, token).ConfigureAwait(false);
            else if (settings.Tls is { Required: true })
                throw new TcpclProtocolException("the peer's contact header does not offer TLS (CAN_TLS) and this node requires it", TcpclTerminationReason.ContactFailure);
            var mine = new SessInit(settings.KeepaliveSeconds, settings.SegmentMru, settings.TransferMru, settings.NodeId, []);
            await stream.WriteAsync(TcpclCodec.Encode(mine), token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
            var first = await TcpclCodec.ReadAsync(stream, settings.SegmentMru, token).ConfigureAwait(false);
            if (first is not SessInit peer)
                throw new TcpclProtocolException(first is null ? "peer closed before its SESS_INIT" : $"expected SESS_INIT, got {first.GetType().Name}",
                    TcpclTerminationReason.ContactFailure, first is null ? null : (TcpclRejectReason.Unexpected, TypeOf(first)));
            if (peer.Extensions.FirstOrDefault(e => e.Critical) is { } critical)
                throw new TcpclProtocolException($"peer requires session extension 0x{critical.Type:x4}, which this node does not implement", TcpclTerminationReason.ContactFailure);
            if (peer.SegmentMru == 0) throw new TcpclProtocolException("peer's segment MRU is 0", TcpclTerminationReason.ContactFailure);
            var session = new TcpclSession(stream, connection, settings, peer, time, log, tlsPeer);
            session.Start();
            return session;
        }
        catch (TcpclProtocolException ex)
        {
            await TryTellAsync(stream, ex).ConfigureAwait(false);
            connection?.Dispose();
            throw;
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>RFC 9174 §4.4: TLS right after the contact headers, the active entity as client; the peer must be a node of the constellation.</summary>
    private static async Task<(Stream, string)> StartTlsAsync(Stream stream, TcpclTls tls, bool active, TimeProvider time, CancellationToken ct)
    {
        try
        {
            var (ssl, peer) = await Tcp.LinkTls.AuthenticateAsync(stream, tls.Certificate, asClient: active, tls.SelfId, tls.Trust(), expectedPeer: null, admits: null,
                alpn: null, time, ct).ConfigureAwait(false);
            return (ssl, peer.Id);
        }
        catch (Tcp.LinkProtocolException ex)
        {
            throw new TcpclProtocolException($"TLS refused: {ex.Message}", TcpclTerminationReason.ContactFailure);
        }
    }

    private static async Task TryTellAsync(Stream stream, TcpclProtocolException ex)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            if (ex.Reject is { } reject) await stream.WriteAsync(TcpclCodec.Encode(new MsgReject(reject.Reason, reject.Type)), cts.Token).ConfigureAwait(false);
            if (ex.Reason != TcpclTerminationReason.ContactFailure || ex.Reject is not null)
                await stream.WriteAsync(TcpclCodec.Encode(new SessTerm(false, ex.Reason)), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or NotSupportedException) { }
    }

    private void Start()
    {
        if (KeepaliveInterval > TimeSpan.Zero)
        {
            // Checked at half the interval so a keepalive is never more than one interval late.
            var tick = KeepaliveInterval / 2;
            _keepaliveTimer = _time.CreateTimer(_ => OnKeepaliveTick(), null, tick, tick);
        }
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>
    /// Sends one bundle as a transfer, segmented to the peer's segment MRU, and waits for the acknowledgement of its
    /// full length (or a refusal, or the end of the session). One transfer at a time per direction.
    /// </summary>
    public async Task<TcpclTransferResult> SendAsync(ReadOnlyMemory<byte> bundle, CancellationToken ct = default)
    {
        if ((ulong)bundle.Length > Peer.TransferMru)
            return new TcpclTransferResult(TcpclTransferStatus.Refused, $"{bundle.Length} bytes exceeds the peer's transfer MRU of {Peer.TransferMru}");
        await _transferGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Completion.IsCompleted) return Ended();
            var id = _nextTransferId++;
            var outgoing = new Outgoing(id, (ulong)bundle.Length);
            Volatile.Write(ref _outgoing, outgoing);
            var step = (int)SegmentSize;
            var at = 0;
            do
            {
                var n = Math.Min(step, bundle.Length - at);
                byte flags = 0;
                if (at == 0) flags |= XferSegment.Start;
                if (at + n == bundle.Length) flags |= XferSegment.End;
                IReadOnlyList<TcpclExtension> ext = at == 0 ? [new TcpclExtension(false, TcpclExtension.TransferLength, BigEndian((ulong)bundle.Length))] : [];
                if (outgoing.Result.Task.IsCompleted) break; // refused part-way: stop sending
                if (!await TryWriteAsync(new XferSegment(flags, id, ext, bundle.Slice(at, n).ToArray()), ct).ConfigureAwait(false)) break;
                Interlocked.Increment(ref _segmentsSent);
                at += n;
            } while (at < bundle.Length);
            using var reg = ct.Register(() => outgoing.Result.TrySetCanceled(ct));
            _ = Completion.ContinueWith(_ => outgoing.Result.TrySetResult(Ended()), TaskScheduler.Default);
            return await outgoing.Result.Task.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _outgoing, null);
            _transferGate.Release();
        }
    }

    private TcpclTransferResult Ended() => new(TcpclTransferStatus.SessionEnded, $"session ended before the transfer was acknowledged ({EndReason ?? "closing"})");

    private static byte[] BigEndian(ulong v)
    {
        var b = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, v);
        return b;
    }

    /// <summary>Ends the session in order: SESS_TERM, the peer's reply (or a short wait), then close.</summary>
    public async Task TerminateAsync(TcpclTerminationReason reason = TcpclTerminationReason.Unknown)
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 0)
            await TryWriteAsync(new SessTerm(false, reason), CancellationToken.None).ConfigureAwait(false);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        try { await Completion.WaitAsync(wait.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { Close("no SESS_TERM reply within 5 s"); }
    }

    private async Task ReadLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var message = await TcpclCodec.ReadAsync(_stream, _settings.SegmentMru, ct).ConfigureAwait(false);
                if (message is null) { Close("peer closed the connection"); return; }
                Interlocked.Exchange(ref _lastReceivedTicks, _time.GetUtcNow().UtcTicks);
                if (!await HandleAsync(message, ct).ConfigureAwait(false)) return;
            }
        }
        catch (TcpclProtocolException ex)
        {
            _log.LogWarning("TCPCL session with {Peer}: {Reason}; ending it", Peer.NodeId, ex.Message);
            if (ex.Reject is { } reject) await TryWriteAsync(new MsgReject(reject.Reason, reject.Type), CancellationToken.None).ConfigureAwait(false);
            await TryWriteAsync(new SessTerm(false, ex.Reason), CancellationToken.None).ConfigureAwait(false);
            Close(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException or EndOfStreamException)
        {
            Close($"connection lost ({ex.GetType().Name})");
        }
    }

    /// <summary>Handles one message; false when the session is over.</summary>
    private async Task<bool> HandleAsync(TcpclMessage message, CancellationToken ct)
    {
        switch (message)
        {
            case XferSegment segment:
                Interlocked.Increment(ref _segmentsReceived);
                await OnSegmentAsync(segment, ct).ConfigureAwait(false);
                return true;
            case XferAck ack:
                if (Volatile.Read(ref _outgoing) is { } o && o.Id == ack.TransferId && ack.AcknowledgedLength >= o.Length && (ack.Flags & XferSegment.End) != 0)
                    o.Result.TrySetResult(new TcpclTransferResult(TcpclTransferStatus.Acknowledged, $"{o.Length} bytes acknowledged"));
                return true;
            case XferRefuse refuse:
                if (Volatile.Read(ref _outgoing) is { } r && r.Id == refuse.TransferId)
                    r.Result.TrySetResult(new TcpclTransferResult(TcpclTransferStatus.Refused, $"peer refused the transfer: {refuse.Reason}"));
                return true;
            case Keepalive:
                return true;
            case SessTerm term:
                if (!term.IsReply && Interlocked.Exchange(ref _terminating, 1) == 0)
                    await TryWriteAsync(new SessTerm(true, term.Reason), CancellationToken.None).ConfigureAwait(false);
                Close(term.IsReply ? $"session terminated ({term.Reason})" : $"peer terminated the session ({term.Reason})");
                return false;
            case MsgReject reject:
                _log.LogWarning("TCPCL peer {Peer} rejected a message of type 0x{Type:x2}: {Reason}", Peer.NodeId, reject.RejectedType, reject.Reason);
                return true;
            case SessInit:
                throw new TcpclProtocolException("a second SESS_INIT in an established session", TcpclTerminationReason.Unknown, (TcpclRejectReason.Unexpected, (byte)TcpclMessageType.SessInit));
            default:
                return true;
        }
    }

    private async Task OnSegmentAsync(XferSegment segment, CancellationToken ct)
    {
        if (segment.TransferId == _refusedIncoming) return; // the rest of a transfer already refused
        if (segment.IsStart)
        {
            if (segment.Extensions.FirstOrDefault(e => e.Critical && e.Type != TcpclExtension.TransferLength) is not null)
            {
                await RefuseAsync(segment.TransferId, TcpclRefuseReason.ExtensionFailure, ct).ConfigureAwait(false);
                return;
            }
            var declared = segment.Extensions.FirstOrDefault(e => e.Type == TcpclExtension.TransferLength && e.Value.Length == 8) is { } len
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(len.Value) : (ulong?)null;
            var refusal = declared > _settings.TransferMru ? TcpclRefuseReason.NoResources : _settings.AcceptTransfer?.Invoke(declared);
            if (refusal is { } reason)
            {
                await RefuseAsync(segment.TransferId, reason, ct).ConfigureAwait(false);
                return;
            }
            _incoming = new Incoming(segment.TransferId);
        }
        if (_incoming is not { } incoming || incoming.Id != segment.TransferId)
            throw new TcpclProtocolException($"segment of transfer {segment.TransferId} without its START segment", TcpclTerminationReason.Unknown, (TcpclRejectReason.Unexpected, (byte)TcpclMessageType.XferSegment));
        if ((ulong)incoming.Data.Length + (ulong)segment.Data.Length > _settings.TransferMru)
        {
            _incoming = null;
            await RefuseAsync(segment.TransferId, TcpclRefuseReason.NoResources, ct).ConfigureAwait(false);
            return;
        }
        incoming.Data.Write(segment.Data);
        await TryWriteAsync(new XferAck(segment.Flags, segment.TransferId, (ulong)incoming.Data.Length), ct).ConfigureAwait(false);
        if (!segment.IsEnd) return;
        _incoming = null;
        BundleReceived?.Invoke(this, incoming.Data.ToArray());
    }

    private async Task RefuseAsync(ulong id, TcpclRefuseReason reason, CancellationToken ct)
    {
        _refusedIncoming = id;
        _incoming = null;
        await TryWriteAsync(new XferRefuse(reason, id), ct).ConfigureAwait(false);
    }

    private void OnKeepaliveTick()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref _lastReceivedTicks) >= (KeepaliveInterval * 2).Ticks)
        {
            _log.LogWarning("TCPCL peer {Peer} silent for {Silence}; ending the session", Peer.NodeId, KeepaliveInterval * 2);
            _ = EndIdleAsync();
            return;
        }
        if (now - Interlocked.Read(ref _lastSentTicks) >= KeepaliveInterval.Ticks) _ = TryWriteAsync(new Keepalive(), CancellationToken.None);
    }

    private async Task EndIdleAsync()
    {
        Interlocked.Exchange(ref _terminating, 1);
        await TryWriteAsync(new SessTerm(false, TcpclTerminationReason.IdleTimeout), CancellationToken.None).ConfigureAwait(false);
        Close($"peer silent for {KeepaliveInterval * 2} (idle timeout)");
    }

    private async Task<bool> TryWriteAsync(TcpclMessage message, CancellationToken ct)
    {
        if (Completion.IsCompleted) return false;
        var bytes = TcpclCodec.Encode(message);
        try
        {
            await _writeLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                await _stream.FlushAsync(ct).ConfigureAwait(false);
            }
            finally { _writeLock.Release(); }
            Interlocked.Exchange(ref _lastSentTicks, _time.GetUtcNow().UtcTicks);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            Close($"write failed ({ex.GetType().Name})");
            return false;
        }
    }

    /// <summary>Ends the session at once (no SESS_TERM): the connection is closed and every waiter released.</summary>
    public void Close(string reason)
    {
        lock (_ended)
        {
            if (EndReason is not null) return;
            EndReason = reason;
        }
        _log.LogInformation("TCPCL session with {Peer} ended: {Reason}", Peer.NodeId, reason);
        _keepaliveTimer?.Dispose();
        _cts.Cancel();
        try { _stream.Dispose(); } catch (IOException) { }
        _connection?.Dispose();
        _ended.TrySetResult();
    }

    private static byte TypeOf(TcpclMessage m) => m switch
    {
        XferSegment => (byte)TcpclMessageType.XferSegment,
        XferAck => (byte)TcpclMessageType.XferAck,
        XferRefuse => (byte)TcpclMessageType.XferRefuse,
        Keepalive => (byte)TcpclMessageType.Keepalive,
        SessTerm => (byte)TcpclMessageType.SessTerm,
        MsgReject => (byte)TcpclMessageType.MsgReject,
        _ => (byte)TcpclMessageType.SessInit,
    };

    public async ValueTask DisposeAsync()
    {
        if (!Completion.IsCompleted) await TerminateAsync().ConfigureAwait(false);
        _cts.Dispose();
    }

    private sealed class Outgoing(ulong id, ulong length)
    {
        public ulong Id { get; } = id;
        public ulong Length { get; } = length;
        public TaskCompletionSource<TcpclTransferResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Incoming(ulong id)
    {
        public ulong Id { get; } = id;
        public MemoryStream Data { get; } = new();
    }
}
