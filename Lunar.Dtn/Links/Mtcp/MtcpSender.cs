using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Mtcp;

/// <summary>
/// Sends bundles to one MTCP peer, redialling with capped backoff. MTCP has no acknowledgements: a bundle leaves the
/// queue once written to the socket, so one in flight when the connection drops may be lost — the sync protocol
/// above retransmits what its peer has not acknowledged. Bounded queue; the oldest is dropped when full.
/// </summary>
public sealed class MtcpSender : IConvergenceSender
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly LinkedList<byte[]> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private volatile bool _up;

    public MtcpSender(string host, int port, TimeProvider time, ILogger log)
    {
        _host = host;
        _port = port;
        _time = time;
        _log = log;
    }

    public int MaxQueued { get; init; } = 10_000;

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public bool IsUp => _up;

    public long Sent => Interlocked.Read(ref _sent);
    private long _sent;

    public event Action<bool>? StateChanged;

    public void Start() => _loop = Task.Run(RunAsync);

    public void Enqueue(byte[] bundle)
    {
        lock (_queue)
        {
            if (_queue.Count >= MaxQueued) _queue.RemoveFirst();
            _queue.AddLast(bundle);
        }
        _signal.Release();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            using var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(_host, _port, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(200);
                _up = true;
                _log.LogInformation("MTCP connection to {Host}:{Port} up", _host, _port);
                StateChanged?.Invoke(true);
                await DrainAsync(client.GetStream(), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                if (ct.IsCancellationRequested) return;
            }
            finally
            {
                if (_up) { _up = false; StateChanged?.Invoke(false); }
            }
            try { await Task.Delay(delay, _time, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }
    }

    private async Task DrainAsync(NetworkStream stream, CancellationToken ct)
    {
        // A peer that closes is noticed by a pending read returning 0.
        var closed = stream.ReadAsync(new byte[1], ct).AsTask();
        while (!ct.IsCancellationRequested)
        {
            byte[]? head;
            lock (_queue) head = _queue.First?.Value;
            if (head is null)
            {
                var signalled = _signal.WaitAsync(ct);
                if (await Task.WhenAny(signalled, closed).ConfigureAwait(false) == closed) { _ = signalled.ContinueWith(t => { if (t.Status == TaskStatus.RanToCompletion) _signal.Release(); }, TaskScheduler.Default); return; }
                await signalled.ConfigureAwait(false);
                continue;
            }
            await MtcpFraming.WriteAsync(stream, head, ct).ConfigureAwait(false);
            lock (_queue) if (_queue.First?.Value == head) _queue.RemoveFirst();
            Interlocked.Increment(ref _sent);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
    }
}
