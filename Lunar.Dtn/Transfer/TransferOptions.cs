namespace Lunar.Dtn.Transfer;

/// <summary>How the artifact transfer paces itself. Defaults suit the Earth–Moon link (1.28 s one way, a few Mbit/s).</summary>
public sealed record TransferOptions
{
    /// <summary>
    /// Most chunks sent to a peer and not yet acknowledged. 64 × 64 KiB = 4 MiB: above the bandwidth-delay product of a
    /// 10 Mbit/s link with a 2.56 s round trip plus the acknowledgement delay (≈ 3.5 MB), so the window does not idle the
    /// link; and small, because it bounds what a receiver killed while behind on its disk can lose (received, not yet
    /// committed), and a 100 MB artifact is never all in memory. Queued chunks wait in the link's priority queue, behind
    /// any control or status bundle.
    /// </summary>
    public int WindowChunks { get; init; } = 64;

    /// <summary>The receiver acknowledges this long after the first chunk not yet acknowledged...</summary>
    public TimeSpan AckDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>...or at once after this many chunks.</summary>
    public int AckEveryChunks { get; init; } = 32;

    /// <summary>With chunks in flight and no acknowledgement for this long, ask the peer for its full status and resend what it lacks.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>While the peer's full status has not arrived on a link that is up, ask for it again this often (a lost hello).</summary>
    public TimeSpan HelloRetry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before offering again an artifact the peer does not know yet (doubles up to <see cref="MaxUnknownRetry"/>).</summary>
    public TimeSpan UnknownRetry { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxUnknownRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Chunk bundles expire after this: they never outlive a session's queue anyway.</summary>
    public TimeSpan ChunkLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Process each received chunk (and send the hello) on the link's own receive callback instead of the background worker.
    /// For single-threaded hosts in virtual time (the simulator), where a second thread would make runs non-deterministic and
    /// no socket needs draining meanwhile. Nodes keep the default (false).
    /// </summary>
    public bool ProcessOnReceiveLoop { get; init; }
}
