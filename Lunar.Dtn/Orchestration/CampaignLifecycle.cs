using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Orchestration;

/// <summary>
/// A campaign's lifecycle state, derived (never stored): cancelled if control says cancel; completed when
/// every targeted server is complete or rolled back; paused if control says pause; with a run written,
/// awaiting-approval while a needed quorum is missing, else running; with no control write, ready once
/// approved, else draft.
/// </summary>
public static class CampaignLifecycle
{
    public static CampaignState Derive(CampaignControl? control, bool quorumNeeded, bool quorumHolds, int targets, int finished)
    {
        if (control == CampaignControl.Cancel) return CampaignState.Cancelled;
        if (targets > 0 && finished == targets) return CampaignState.Completed;
        if (control == CampaignControl.Pause) return CampaignState.Paused;
        if (control == CampaignControl.Run) return quorumNeeded && !quorumHolds ? CampaignState.AwaitingApproval : CampaignState.Running;
        return quorumNeeded && quorumHolds ? CampaignState.Ready : CampaignState.Draft;
    }

    /// <summary>The servers a campaign targets: those whose inventory matches its selector.</summary>
    public static IEnumerable<KeyValuePair<string, ServerRecord>> Targets(ReplicaState state, CampaignSelector selector) =>
        state.Servers.Where(kv => kv.Value.Inventory is { } inv &&
            selector.Matches(inv.Site?.Value ?? "", inv.Cluster?.Value ?? "", inv.Tier?.Value ?? 3));
}
