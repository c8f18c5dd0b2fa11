using Lunar.Dtn.Model;

namespace Lunar.Dtn.Orchestration;

/// <summary>How the executor schedules and how long each phase may take before the server is timed out.</summary>
public sealed record ExecutorOptions
{
    /// <summary>How often the scheduler looks for work when nothing else wakes it.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time a server may stay in a phase without a report before it is timed out.</summary>
    public IReadOnlyDictionary<UpgradePhase, TimeSpan> PhaseTimeouts { get; init; } = new Dictionary<UpgradePhase, TimeSpan>
    {
        [UpgradePhase.Queued] = TimeSpan.FromMinutes(5),
        [UpgradePhase.PreCheck] = TimeSpan.FromMinutes(5),
        [UpgradePhase.Downloading] = TimeSpan.FromMinutes(60),
        [UpgradePhase.Verifying] = TimeSpan.FromMinutes(5),
        [UpgradePhase.Applying] = TimeSpan.FromMinutes(45),
        [UpgradePhase.SmokeTest] = TimeSpan.FromMinutes(10),
        [UpgradePhase.Validated] = TimeSpan.FromMinutes(5),
        [UpgradePhase.Failed] = TimeSpan.FromMinutes(5),
        [UpgradePhase.RollingBack] = TimeSpan.FromMinutes(5),
    };

    /// <summary>
    /// Staging is green when every staging server is finished and at most this share rolled back
    /// (the campaign's anomaly failure rate, if it has one, is used instead).
    /// </summary>
    public double StagingGreenFailureShare { get; init; } = 0.05;

    public TimeSpan TimeoutOf(UpgradePhase phase) => PhaseTimeouts.TryGetValue(phase, out var t) ? t : TimeSpan.FromMinutes(30);
}
