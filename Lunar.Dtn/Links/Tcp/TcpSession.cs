using Lunar.Dtn.Bundles;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// One authenticated connection to a peer (a TLS session, see <see cref="LinkTls"/>): a send loop that drains a priority queue within the bandwidth
/// budget (control before status before bulk) and sends keepalives when idle, and a receive loop that hands
/// every bundle up and cuts the connection on any protocol violation or a silent peer.
/// </summary>
public sealed class TcpSession
{
    private readonly Stream _stream;
    private readonly IDisposable? _connection;
    private readonly BandwidthBudget? _budget;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TcpRelaySettings _settings;
    private readonly PriorityQueue<ReadOnlyMemory<byte>, (BundlePriority, long)> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _cts = new();
    private readonly Func<string?>? _stillTrusted;
    private long _order;
    private int _closed;

    /// <param name="stillTrusted">
    /// Asked before every frame received is handed up: null while the peer may still hold a session, else why not (a newer
    /// constellation version revoked it, its certificate expired); the session is then cut with that reason.
    /// </param>
    public TcpSession(string peerId, Stream stream, IDisposable? connection, TcpRelaySettings settings, BandwidthBudget? budget, TimeProvider time, ILogger log,
        Func<string?>? stillTrusted = null)
    {
        _stillTrusted = stillTrusted;
        PeerId = peerId;
        _stream = stream;
        _connection = connection;
        _settings = settings;
        _budget = budget;
        _time = time;
        _log = log;
    }

    public string PeerId { get; }

    public long BytesSent { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>Raised on the receive loop for every bundle; the handler runs before the next frame is read.</summary>
    public event Action<ReadOnlyMemory<byte>>? BundleReceived;

    /// <summary>Completes when the session has ended, for whatever reason.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.WhenAll(Task.Run(SendLoopAsync), Task.Run(ReceiveLoopAsync));

    public void Enqueue(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        lock (_queue) _queue.Enqueue(bundle, (priority, _order++));
        _signal.Release();
    }

    public int QueuedBundles { get { lock (_queue) return _queue.Count; } }

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _log.LogInformation("Link session with {Peer} closed: {Reason}", PeerId, reason);
        _cts.Cancel();
        _stream.Dispose();
        _connection?.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!await _signal.WaitAsync(_settings.KeepaliveInterval, ct).ConfigureAwait(false))
                {
                    await FrameCodec.WriteAsync(_stream, FrameType.Keepalive, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
                    continue;
                }
                ReadOnlyMemory<byte> bundle;
                lock (_queue) if (!_queue.TryDequeue(out bundle, out _)) continue;
                if (_budget is not null) await _budget.SpendAsync(bundle.Length + 5, ct).ConfigureAwait(false);
                await FrameCodec.WriteAsync(_stream, FrameType.Bundle, bundle, ct).ConfigureAwait(false);
                BytesSent += bundle.Length + 5;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            Close($"send ended ({ex.GetType().Name}: {ex.Message})");
        }
        catch (Exception ex)
        {
            Fail("send", ex);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(_settings.KeepaliveInterval * 3);
                Frame? frame;
                try { frame = await FrameCodec.ReadAsync(_stream, _settings.MaxFrameBytes, idle.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Close($"{PeerId} was silent for {_settings.KeepaliveInterval * 3}");
                    return;
                }
                if (frame is null) { Close($"{PeerId} closed the connection"); return; }
                BytesReceived += frame.Value.Payload.Length + 5;
                if (_stillTrusted?.Invoke() is { } untrusted) throw new LinkProtocolException(untrusted);
                switch (frame.Value.Type)
                {
                    case FrameType.Bundle: BundleReceived?.Invoke(frame.Value.Payload); break;
                    case FrameType.Keepalive: break;
                    default: throw new LinkProtocolException($"unexpected {frame.Value.Type} frame");
                }
            }
        }
        catch (LinkProtocolException ex)
        {
            _log.LogWarning("Cutting off {Peer}: {Reason}", PeerId, ex.Message);
            Close(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            Close($"receive ended ({ex.GetType().Name}: {ex.Message})");
        }
        catch (Exception ex)
        {
            // Thrown by the layer above (Replica.Receive on an unhealthy store throws InvalidOperationException).
            Fail("receive", ex);
        }
    }

    /// <summary>
    /// The edge of both loops: a loop that died of anything else must not leave the session up on the other loop alone (a
    /// send loop still sending keepalives keeps the peer content while nothing is read). Close the whole session and say why;
    /// the dialler redials, and what the peer sent unacknowledged is retransmitted by the sync layer.
    /// </summary>
    private void Fail(string loop, Exception ex)
    {
        _log.LogError(ex, "Link session with {Peer}: the {Loop} loop failed; closing the session so the link is redialled", PeerId, loop);
        Close($"the {loop} loop failed: {ex.GetType().Name}: {ex.Message}");
    }
}
