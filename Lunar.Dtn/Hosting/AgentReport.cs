namespace Lunar.Dtn.Hosting;

/// <summary>
/// The body of POST /api/v1/agents/{id}/report: where the server stands, and (on first contact) what it is.
/// </summary>
public sealed record AgentReport(
    string? CampaignId, int? Attempt, string? Phase, string? Detail, string? Version,
    string? Site, string? Cluster, int? Tier, string? RedundancyGroup, bool? Staging);
