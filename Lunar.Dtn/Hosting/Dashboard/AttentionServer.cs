namespace Lunar.Dtn.Hosting.Dashboard;

/// <summary>A server an operator should look at: failed, rolling back, rolled back or timed out in its latest attempt.</summary>
public sealed record AttentionServer(string Id, string? CampaignId, int Attempt, string Phase, DateTimeOffset Since, string? Detail, string? Site, int? Tier, int RollbackCount);
