namespace Lunar.Dtn.Agent.Drivers;

/// <summary>What a driver step needs to know about the upgrade (hooks see it as LUNAR_* environment variables).</summary>
public sealed record UpgradeContext(
    string ServerId, string CampaignId, int Attempt, string ArtifactId, string Version, string Sha256, string? PreviousVersion);
