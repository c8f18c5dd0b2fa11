using Lunar.Dtn.Orchestration;

namespace Lunar.Dtn.Agent.Journal;

/// <summary>A progress report kept in the journal until the node acknowledges it.</summary>
public sealed record PendingReport(string CampaignId, int Attempt, long Seq, string Phase, string? Detail, string? Version)
{
    public string Key => AttemptKey.Of(CampaignId, Attempt);

    public AgentReport ToWire() => new(CampaignId, Attempt, Phase, Detail, Version, null, null, null, null, null, Seq);
}
