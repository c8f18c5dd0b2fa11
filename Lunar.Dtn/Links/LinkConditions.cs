namespace Lunar.Dtn.Links;

/// <summary>What a simulated link does to bundles. Defaults: the Earth–Moon light time, no loss.</summary>
public sealed record LinkConditions
{
    public TimeSpan OneWayDelay { get; init; } = TimeSpan.FromMilliseconds(1280);

    /// <summary>Bits per second; 0 means unlimited.</summary>
    public long BandwidthBitsPerSecond { get; init; }

    /// <summary>Probability that a bundle is lost.</summary>
    public double Loss { get; init; }

    /// <summary>Probability that a bundle is delivered twice.</summary>
    public double Duplication { get; init; }

    /// <summary>Extra random delay, uniformly up to this, which reorders bundles.</summary>
    public TimeSpan ReorderJitter { get; init; }

    /// <summary>When the link is down, from the start of the simulation.</summary>
    public IReadOnlyList<Blackout> Blackouts { get; init; } = [];
}

/// <summary>A period with no contact.</summary>
public sealed record Blackout(TimeSpan Start, TimeSpan Duration)
{
    public TimeSpan End => Start + Duration;
}
