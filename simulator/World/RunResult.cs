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
    IReadOnlyList<TimelineSample> Timeline);

/// <summary>A sample of the run for charts: servers by phase, link bytes, replica lag.</summary>
public sealed record TimelineSample(double Hours, IReadOnlyDictionary<string, int> Phases, long EarthToMoonBytes, long MoonToEarthBytes, double LagSeconds, bool LinkUp);
