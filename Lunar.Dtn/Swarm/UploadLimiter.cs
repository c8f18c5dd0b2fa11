namespace Lunar.Dtn.Swarm;

/// <summary>
/// A token bucket over upload bytes (the mirror's cap): a sender takes what it is about to send and waits out any
/// debt. Half a second of burst. Time comes from the injected clock.
/// </summary>
public sealed class UploadLimiter(double bytesPerSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = bytesPerSecond / 2;
    private long _last = time.GetTimestamp();

    public double BytesPerSecond => bytesPerSecond;

    public static UploadLimiter? FromMbps(double mbps, TimeProvider time) => mbps > 0 ? new UploadLimiter(mbps * 1_000_000 / 8, time) : null;

    public async ValueTask TakeAsync(int bytes, CancellationToken ct)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(bytesPerSecond / 2, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * bytesPerSecond);
            _last = now;
            _tokens -= bytes;
            wait = _tokens < 0 ? TimeSpan.FromSeconds(-_tokens / bytesPerSecond) : TimeSpan.Zero;
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
    }
}
