namespace Lunar.Dtn.Replication;

/// <summary>Timing of the sync protocol on one link.</summary>
public sealed record SyncOptions
{
    /// <summary>A control change (campaign, approval, pause) is pushed this soon, so a burst crosses as one bundle.</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Status changes alone wait this long, so that the steady trickle of a running campaign crosses in few bundles
    /// (each bundle costs ~200 bytes of header and signatures). Small against the 1.28 s light time and the
    /// minutes an upgrade phase takes. Measured on the simulated baseline: 10 s instead of 2 s halves the bytes on the Earth link.
    /// </summary>
    public TimeSpan StatusBatchDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An acknowledgement waits this long for outgoing deltas to ride on.</summary>
    public TimeSpan AckDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>First retransmission timeout before any round trip was measured (3 × the Earth–Moon light time).</summary>
    public TimeSpan InitialRetransmit { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Floor of the retransmission timeout.</summary>
    public TimeSpan MinRetransmit { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap of the exponential backoff: a relay may hold bundles for a long time.</summary>
    public TimeSpan MaxRetransmit { get; init; } = TimeSpan.FromMinutes(10);
}
