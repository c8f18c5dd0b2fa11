using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Replication;

/// <summary>Campaign control writes that did not see each other; the safer one is in force.</summary>
public sealed record ControlConflict(string CampaignId, IReadOnlyList<RegisterEntry<CampaignControl>> Writes)
{
    public CampaignControl Winner => Writes.Max(w => w.Value);

    public string Describe() =>
        $"concurrent control writes on campaign {CampaignId}: " +
        string.Join(" vs ", Writes.Select(w => $"{w.Value.ToString().ToLowerInvariant()} by {w.Dot.Origin}")) +
        $"; {Winner.ToString().ToLowerInvariant()} wins (cancel > pause > run)";
}
