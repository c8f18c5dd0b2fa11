namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// The catch-up benchmark's scenario: <see cref="Servers"/> servers each change status once on the Moon
/// while the link is down for at least <see cref="Blackout"/>; then the link returns.
/// </summary>
public sealed record CatchupSettings
{
    public int Servers { get; init; } = 5000;

    /// <summary>One-way delay of the emulated link (the Earth–Moon light time by default).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(1280);

    /// <summary>Cap per direction of the emulated link, in megabits per second.</summary>
    public double BandwidthMbps { get; init; } = 10;

    /// <summary>The link stays down at least this long (the status writes happen inside it), so the dialler's backoff grows as in a real blackout.</summary>
    public TimeSpan Blackout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole run gives up after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
}
