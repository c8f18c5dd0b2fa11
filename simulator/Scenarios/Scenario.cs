using Lunar.Dtn.Links;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Simulator.Scenarios;

/// <summary>A simulation scenario (interfaces.md section 5). Every field has the design's default except the server count.</summary>
public sealed record Scenario
{
    public string Name { get; init; } = "scenario";
    public int Seed { get; init; } = 42;
    public int Servers { get; init; }
    public IReadOnlyList<string> Sites { get; init; } = ["alpha", "beta", "gamma"];
    public IReadOnlyDictionary<int, double> TierShares { get; init; } = new Dictionary<int, double> { [1] = 0.1, [2] = 0.3, [3] = 0.6 };
    public int RedundancyGroupSize { get; init; } = 3;
    public int StagingPool { get; init; } = 500;

    /// <summary>Tier 1 executor nodes (each a full replica on the Moon's LAN, syncing with the Moon); 0: the Moon runs Tier 1 too.</summary>
    public int Tier1Nodes { get; init; }
    public double MeanMinutes { get; init; } = 20;
    public double FailureRate { get; init; } = 0.01;
    public double RollbackMinutes { get; init; } = 3;
    public double ArtifactMB { get; init; } = 100;

    /// <summary>Swarm piece size in KiB; null: what the Moon's torrents use for the artifact's size (<c>Metainfo.ChoosePieceLength</c>).</summary>
    public int? PieceKB { get; init; }
    public int Concurrency { get; init; } = 30;
    public int BatchSize { get; init; } = 50;
    public bool ApprovalRequired { get; init; } = true;
    public AnomalyPolicy? PauseOnAnomaly { get; init; } = new(0.1, 50);
    public double AnomalyReviewMinutes { get; init; } = 60;
    public IReadOnlyList<MaintenanceWindow> Tier2Windows { get; init; } = [new("22:00", "06:00")];
    public double OneWayDelaySeconds { get; init; } = 1.28;
    public double BandwidthMbps { get; init; } = 10;
    public double Loss { get; init; }
    public IReadOnlyList<Blackout> Blackouts { get; init; } = [];
    /// <summary>Each agent's LAN bandwidth (what it can download at), Mbit/s.</summary>
    public double ServerMbps { get; init; } = 1000;

    /// <summary>The mirror's (Moon node's) upload cap, Mbit/s.</summary>
    public double MirrorMbps { get; init; } = 10000;

    /// <summary>Each agent's upload cap for serving pieces to its peers, Mbit/s.</summary>
    public double AgentUploadMbps { get; init; } = 200;

    public long ArtifactBytes => (long)(ArtifactMB * 1_000_000);

    /// <summary>The piece size the swarm uses, in bytes.</summary>
    public int PieceBytes => PieceKB is { } kb ? kb * 1024 : global::Lunar.Dtn.Swarm.Metainfo.ChoosePieceLength(ArtifactBytes);
    public IReadOnlyList<ScenarioEvent> Events { get; init; } = [];
    public TimeSpan Limit { get; init; } = TimeSpan.FromDays(14);
}

/// <summary>An operator action or a fault at a moment of the run.</summary>
public sealed record ScenarioEvent(TimeSpan At, string Node, string Action, string? Approver, TimeSpan? DownFor);
