namespace Lunar.Dtn.Bpv7;

/// <summary>DTN time (RFC 9171 §4.2.6): milliseconds since 2000-01-01T00:00:00Z; 0 means "this node has no accurate clock".</summary>
public static class DtnTime
{
    public static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong FromDateTime(DateTimeOffset t) => t <= Epoch ? 0 : (ulong)(t - Epoch).Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>The instant of a DTN time; values beyond what a DateTimeOffset holds come back as its maximum.</summary>
    public static DateTimeOffset ToDateTime(ulong ms) =>
        ms >= (ulong)(DateTimeOffset.MaxValue - Epoch).TotalMilliseconds ? DateTimeOffset.MaxValue : Epoch.AddMilliseconds(ms);
}
