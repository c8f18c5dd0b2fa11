namespace Lunar.Dtn.Simulator.Fleet;

/// <summary>How simulated agents behave: upgrade durations, failures, rollbacks, silence.</summary>
public sealed record FleetBehaviour
{
    /// <summary>Mean duration of a whole upgrade (pre-check to complete); each server draws around it.</summary>
    public TimeSpan MeanUpgrade { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Share of upgrades whose apply or smoke test fails (then rolled back).</summary>
    public double FailureRate { get; init; }

    public TimeSpan Rollback { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Share of attempts in which the agent goes silent (its process died) until it comes back after <see cref="SilentFor"/>.</summary>
    public double SilenceRate { get; init; }

    public TimeSpan SilentFor { get; init; } = TimeSpan.FromMinutes(15);
}
