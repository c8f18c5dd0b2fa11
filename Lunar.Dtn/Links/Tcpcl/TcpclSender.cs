using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>
/// Delivers bundles to one TCPCLv4 peer: dials it (redialling with capped exponential backoff), sends the queued
/// bundles one transfer at a time, and removes a bundle from the queue only when the peer has acknowledged all of
/// it. A session lost mid-transfer leaves the bundle at the head of the queue: it is sent again, whole, in the next
/// session, and the peer — which hands up only complete transfers — receives it once. A refused bundle is dropped
/// (and counted): the peer said it will never take it. The queue is bounded; when full the oldest bundle is dropped,
/// which is safe for our sync bundles (the sync protocol retransmits until acknowledged).
/// </summary>
public sealed class TcpclSender : IConvergenceSender
{
    private readonly string _host;
    private readonly int _port;
    private readonly TcpclSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly LinkedList<byte[]> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private TcpclSession? _session;

    public TcpclSender(string host, int port, TcpclSettings settings, TimeProvider time, ILogger log)
    {
        settings.Validate();
        _host = host;
        _port = port;
        _settings = settings;
        _time = time;
        _log = log;
    }

    public int MaxQueued { get; init; } = 10_000;

    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public bool IsUp => Volatile.Read(ref _session) is { Completion.IsCompleted: false };

    public int Queued { get { lock (_queue) return _queue.Count; } }

    public long Delivered => Interlocked.Read(ref _delivered);
    private long _delivered;

    public long RefusedByPeer => Interlocked.Read(ref _refused);
    private long _refused;

    public long Dropped => Interlocked.Read(ref _dropped);
    private long _dropped;

    /// <summary>Sessions established so far (each redial after a loss adds one).</summary>
    public int Sessions => _sessions;
    private int _sessions;

    /// <summary>Raised with true when a session is up, false when it is lost.</summary>
    public event Action<bool>? StateChanged;

    /// <summary>Bundles the peer sends back over the sessions this sender opened (TCPCL sessions carry both ways).</summary>
    public event Action<TcpclSession, byte[]>? BundleReceived;

    public void Start() => _loop = Task.Run(RunAsync);

    public void Enqueue(byte[] bundle)
    {
        lock (_queue)
        {
            if (_queue.Count >= MaxQueued)
            {
                _queue.RemoveFirst();
                Interlocked.Increment(ref _dropped);
            }
            _queue.AddLast(bundle);
        }
        _signal.Release();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        var delay = MinReconnectDelay;
        var attempt = 0;
        while (!ct.IsCancellationRequested)
        {
            TcpclSession session;
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(_host, _port, ct).ConfigureAwait(false);
                session = await TcpclSession.EstablishAsync(client.GetStream(), client, _settings, _time, _log, ct, active: true).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or TcpclProtocolException or EndOfStreamException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                client.Dispose();
                if (attempt++ is 0 or 5 or 20) _log.LogInformation("TCPCL peer {Host}:{Port} not reachable ({Reason}); retrying", _host, _port, ex.Message);
                try { await Task.Delay(delay, _time, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
                continue;
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping: whatever the interrupted connect or handshake threw (cancelled, disposed socket) ends the loop.
                client.Dispose();
                return;
            }
            delay = MinReconnectDelay;
            attempt = 0;
            Interlocked.Increment(ref _sessions);
            session.BundleReceived += (s, b) => BundleReceived?.Invoke(s, b);
            Volatile.Write(ref _session, session);
            _log.LogInformation("TCPCL session to {Host}:{Port} ({Peer}) up {Tls}; segments up to {Segment} bytes, keepalive {Keepalive}",
                _host, _port, session.Peer.NodeId, session.IsTls ? $"inside TLS 1.3 with node '{session.TlsPeer}'" : "in clear (the peer offers no TLS)", session.SegmentSize, session.KeepaliveInterval);
            StateChanged?.Invoke(true);
            await DrainAsync(session, ct).ConfigureAwait(false);
            Volatile.Write(ref _session, null);
            StateChanged?.Invoke(false);
            if (ct.IsCancellationRequested) { await session.TerminateAsync().ConfigureAwait(false); return; }
        }
    }

    /// <summary>Sends the queue's head until the session ends; only an acknowledged or refused bundle leaves the queue.</summary>
    private async Task DrainAsync(TcpclSession session, CancellationToken stop)
    {
        // Waiting for work ends with the session too (a cancelled wait takes no signal away).
        using var sessionOver = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _ = session.Completion.ContinueWith(_ => { try { sessionOver.Cancel(); } catch (ObjectDisposedException) { } }, TaskScheduler.Default);
        var ct = sessionOver.Token;
        while (!ct.IsCancellationRequested && !session.Completion.IsCompleted)
        {
            byte[]? head;
            lock (_queue) head = _queue.First?.Value;
            if (head is null)
            {
                try { await _signal.WaitAsync(ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            TcpclTransferResult result;
            try { result = await session.SendAsync(head, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (result.Status == TcpclTransferStatus.SessionEnded) return;
            lock (_queue) if (_queue.First?.Value == head) _queue.RemoveFirst();
            if (result.Delivered) Interlocked.Increment(ref _delivered);
            else
            {
                Interlocked.Increment(ref _refused);
                _log.LogWarning("TCPCL peer {Host}:{Port} refused a bundle of {Bytes} bytes: {Detail}", _host, _port, head.Length, result.Detail);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Volatile.Read(ref _session)?.Close("sender stopped");
        try { await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
    }
}
