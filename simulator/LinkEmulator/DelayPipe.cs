using System.Threading.Channels;
using Lunar.Dtn.Links.Tcp;

namespace Lunar.Dtn.Simulator.LinkEmulator;

/// <summary>
/// One direction of an emulated link: bytes leave at the bandwidth cap (serialisation), then arrive one
/// delay later (propagation), in order. A "lost" chunk is delivered after an extra round trip and a half,
/// as TCP would after retransmitting it, holding back what follows (head-of-line blocking).
/// </summary>
public sealed class DelayPipe
{
    private readonly Stream _from;
    private readonly Stream _to;
    private readonly LinkEmulatorOptions _options;
    private readonly BandwidthBudget? _budget;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly Channel<(DateTimeOffset Due, byte[] Bytes)> _inFlight = Channel.CreateUnbounded<(DateTimeOffset, byte[])>();

    public DelayPipe(Stream from, Stream to, LinkEmulatorOptions options, BandwidthBudget? budget, Random random, TimeProvider time)
    {
        _from = from;
        _to = to;
        _options = options;
        _budget = budget;
        _random = random;
        _time = time;
    }

    private long _bytes;

    /// <summary>Bytes read from the sending side so far (live: readable while the pipe runs).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(ReadAsync(ct), WriteAsync(ct));

    private async Task ReadAsync(CancellationToken ct)
    {
        // With a cap, bytes move in packets of about a hundredth of a second of bandwidth (at least an Ethernet
        // payload): a 64 KB read at 128 kbit/s would otherwise arrive as one lump four seconds later, and a
        // receiver would see two bundles complete together that a real link delivers seconds apart.
        var chunk = _options.BandwidthMbps is { } mbps ? (int)Math.Clamp(mbps * 1_000_000 / 8 / 100, 1460, 64 * 1024) : 64 * 1024;
        var buffer = new byte[chunk];
        try
        {
            while (true)
            {
                var n = await _from.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0) break;
                if (_budget is not null) await _budget.SpendAsync(n, ct).ConfigureAwait(false);
                var delay = _options.Delay;
                bool lost;
                lock (_random) lost = _options.Loss > 0 && _random.NextDouble() < _options.Loss;
                if (lost) delay += _options.Delay * 3;
                await _inFlight.Writer.WriteAsync((_time.GetUtcNow() + delay, buffer[..n]), ct).ConfigureAwait(false);
                Interlocked.Add(ref _bytes, n);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException) { }
        finally { _inFlight.Writer.TryComplete(); }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (due, bytes) in _inFlight.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                await _to.WriteAsync(bytes, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException) { }
        finally { _to.Close(); }
    }
}
