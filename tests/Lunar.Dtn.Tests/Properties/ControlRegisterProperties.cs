using FsCheck.Xunit;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Campaign control: delivery order never matters, concurrent pause beats run, cancel is final.</summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class ControlRegisterProperties
{
    [Property]
    public void ControlDeltas_DeliveredInAnyOrder_GiveSameStateAndEffectiveControl(ControlHistory h)
    {
        foreach (var start in h.Source.Views.Prepend(new ReplicaState()))
        {
            var inOrder = Deliver(start, h.Writes);
            var reordered = Deliver(start, h.Shuffled);
            Assert.Equal(inOrder.Fingerprint(), reordered.Fingerprint());
            Assert.Equal(Effective(inOrder, h), Effective(reordered, h));
        }
    }

    [Property]
    public void EffectiveControl_AfterAnySubsetInAnyOrder_IsSafestWriteNoOtherDeliveredWriteHadSeen(ControlHistory h) =>
        Assert.Equal(ControlOracle.Expected(h.Subset), h.EffectiveAfter(h.Subset.Select(d => d.Fragment)));

    [Property]
    public void ConcurrentPauseAndRun_DeliveredWithAnyCancelFreeHistoryInAnyOrder_EffectiveIsPause(ControlHistory h)
    {
        var views = h.Source.Views;
        var pause = h.WriteFrom(views[0], h.Source.ReplicaIds[0], 1000, CampaignControl.Pause);
        var run = h.WriteFrom(views[1], h.Source.ReplicaIds[1], 1000, CampaignControl.Run);
        var history = h.Subset.Where(d => !d.Fragment.Campaigns.Values.Single().CancelSeen).Select(d => d.Fragment).ToList();

        Assert.Equal(CampaignControl.Pause, h.EffectiveAfter([.. history, pause, run]));
        Assert.Equal(CampaignControl.Pause, h.EffectiveAfter([run, .. history, pause]));
        Assert.Equal(CampaignControl.Pause, h.EffectiveAfter([pause, run, .. history]));
    }

    [Property]
    public void Cancel_DeliveredAnywhereAmongLaterWrites_EffectiveIsCancel(ControlHistory h)
    {
        var views = h.Source.Views;
        var cancel = h.WriteFrom(views[0], h.Source.ReplicaIds[0], 1000, CampaignControl.Cancel);
        var sawCancel = Canon.Merge(views[1], cancel);
        var runAfterCancel = h.WriteFrom(sawCancel, h.Source.ReplicaIds[1], 1000, CampaignControl.Run);
        var history = h.Subset.Select(d => d.Fragment).ToList();

        Assert.Equal(CampaignControl.Cancel, h.EffectiveAfter([.. history, cancel, runAfterCancel]));
        Assert.Equal(CampaignControl.Cancel, h.EffectiveAfter([runAfterCancel, .. history, cancel]));
        Assert.Equal(CampaignControl.Cancel, h.EffectiveAfter([cancel, .. history], views[1]));
    }

    private static ReplicaState Deliver(ReplicaState start, IEnumerable<SimDelta> deltas) =>
        Canon.Join([start, .. deltas.Select(d => d.Fragment)]);

    private static CampaignControl? Effective(ReplicaState s, ControlHistory h) =>
        s.Campaigns.TryGetValue(h.CampaignId, out var r) ? r.EffectiveControl : null;
}
