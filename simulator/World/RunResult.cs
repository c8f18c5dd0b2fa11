using Lunar.Dtn.Simulator.Invariants;

namespace Lunar.Dtn.Simulator.World;

/// <summary>What a run measured.</summary>
public sealed record RunResult(
    bool Completed,
    double? CampaignHours,
    IReadOnlyDictionary<string, double> TierHours,
    int Upgraded, int RolledBack, int Failed, int Untouched,
    long EarthToMoonBytes, long MoonToEarthBytes, long[] EarthToMoonByPriority, long[] MoonToEarthByPriority,
    bool Converged, double MaxLagSeconds, IReadOnlyList<double> AfterBlackoutSeconds,
    IReadOnlyList<Violation> Violations, int Starts, double LongestRollbackSeconds,
    IReadOnlyList<TimelineSample> Timeline,
    IReadOnlyList<CatchUp> CatchUps,
    LossSummary Loss,
    ArtifactFigures Artifact);

/// <summary>
/// A sample of the run for charts: servers by phase, cumulative Earth-link bytes (in all and by kind: control, status,
/// bulk), Earth's replica lag at the sample and the worst since the previous sample.
/// </summary>
public sealed record TimelineSample(double Hours, IReadOnlyDictionary<string, int> Phases, long EarthToMoonBytes, long MoonToEarthBytes,
    IReadOnlyDictionary<string, long> EarthToMoonByKind, IReadOnlyDictionary<string, long> MoonToEarthByKind,
    double LagSeconds, double MaxLagSeconds, bool LinkUp);
