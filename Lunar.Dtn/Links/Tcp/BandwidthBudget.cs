namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// A token bucket: the link may send at most <c>bitsPerSecond</c> on average, with a burst of a tenth
/// of a second. Sending goes into debt and then waits it off, so one large bundle is never refused.
/// </summary>
public sealed class BandwidthBudget
{
    private readonly TimeProvider _time;
    private readonly double _bytesPerSecond;
    private readonly double _burst;
    private double _tokens;
    private long _lastTicks;

    public BandwidthBudget(double megabitsPerSecond, TimeProvider time)
    {
        if (megabitsPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(megabitsPerSecond));
        _time = time;
        _bytesPerSecond = megabitsPerSecond * 1_000_000 / 8;
        _burst = Math.Max(16 * 1024, _bytesPerSecond / 10);
        _tokens = _burst;
        _lastTicks = time.GetTimestamp();
    }

    /// <summary>Takes <paramref name="bytes"/> from the budget and waits until the debt is paid.</summary>
    public async Task SpendAsync(int bytes, CancellationToken ct)
    {
        TimeSpan wait;
        lock (this)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_lastTicks, now).TotalSeconds * _bytesPerSecond);
            _lastTicks = now;
            _tokens -= bytes;
            wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
    }
}
