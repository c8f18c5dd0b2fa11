namespace Lunar.Dtn.Transfer;

/// <summary>
/// Bytes per second over the last <see cref="Window"/> of a growing byte count (bytes held, bytes acknowledged), for
/// progress and ETA. Over a window rather than since the start, so a blackout or restart does not drag the rate down for ever.
/// </summary>
public sealed class TransferRate
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly Queue<(DateTimeOffset At, long Bytes)> _samples = new();

    /// <summary>Records that the count stood at <paramref name="bytes"/> at <paramref name="at"/>.</summary>
    public void Note(DateTimeOffset at, long bytes)
    {
        _samples.Enqueue((at, bytes));
        while (_samples.Count > 2 && at - _samples.Peek().At > Window) _samples.Dequeue();
    }

    /// <summary>Bytes per second, or null with too little history (under half a second, or nothing moved).</summary>
    public double? BytesPerSecond(DateTimeOffset now)
    {
        if (_samples.Count < 2) return null;
        var first = _samples.Peek();
        var last = _samples.Last();
        // Nothing new for a whole window (a blackout): the rate is unknown, not the last one seen.
        if (now - last.At > Window) return null;
        var seconds = (now - first.At).TotalSeconds;
        if (seconds < 0.5 || last.Bytes <= first.Bytes) return null;
        return (last.Bytes - first.Bytes) / seconds;
    }

    /// <summary>Seconds until <paramref name="remaining"/> more bytes have moved at the current rate; null when the rate is unknown.</summary>
    public double? EtaSeconds(DateTimeOffset now, long remaining) =>
        remaining <= 0 ? 0 : BytesPerSecond(now) is { } r and > 0 ? Math.Round(remaining / r, 1) : null;
}
