namespace Lunar.Dtn.Orchestration;

/// <summary>
/// The body of POST /api/v1/agents/{id}/report: the phase the server has entered for an assignment
/// (campaign and attempt), and, on first contact or when they change, what the server is.
/// <see cref="Seq"/> counts the agent's reports for that attempt, so a report retried after a lost
/// acknowledgement is recognised as the same report (and answered again, changing nothing).
/// </summary>
public sealed record AgentReport(
    string? CampaignId, int? Attempt, string? Phase, string? Detail, string? Version,
    string? Site, string? Cluster, int? Tier, string? RedundancyGroup, bool? Staging, long? Seq = null);
