using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// The control writes one scenario made to one campaign (in the order written), the same writes in
/// another order, and a random subset in random order (a replica that has received only some of them).
/// </summary>
public sealed record ControlHistory(
    string CampaignId,
    IReadOnlyList<SimDelta> Writes,
    IReadOnlyList<SimDelta> Shuffled,
    IReadOnlyList<SimDelta> Subset,
    Scenario Source)
{
    /// <summary>A control write by <paramref name="replica"/> that supersedes exactly what <paramref name="view"/> holds.</summary>
    public ReplicaState WriteFrom(ReplicaState view, string replica, long seq, CampaignControl control)
    {
        view.Campaigns.TryGetValue(CampaignId, out var current);
        var dot = new Dot(replica, Channel.Control, seq);
        var register = MultiValueRegister<CampaignControl>.Write(current?.Control, dot, control, HlcTimestamp.From(1_800_000_000_000, 0));
        var fragment = new ReplicaState();
        fragment.Campaigns[CampaignId] = new CampaignRecord(null, register, control == CampaignControl.Cancel);
        return fragment;
    }

    public CampaignControl? EffectiveAfter(IEnumerable<ReplicaState> deliveries, ReplicaState? start = null)
    {
        var state = start?.Clone() ?? new ReplicaState();
        foreach (var d in deliveries) state.MergeFrom(d);
        return state.Campaigns.TryGetValue(CampaignId, out var record) ? record.EffectiveControl : null;
    }

    public override string ToString() =>
        $"campaign {CampaignId}: writes [{string.Join(", ", Writes.Select(Describe))}], " +
        $"subset [{string.Join(", ", Subset.Select(Describe))}]\nfrom {Source}";

    private static string Describe(SimDelta d) =>
        $"{d.Dot}={d.Fragment.Campaigns.Values.Single().Control!.Entries.Single().Value}";
}
