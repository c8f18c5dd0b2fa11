using FsCheck.Xunit;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Campaign and server records and their parts; a null side is an absent map entry.</summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class RecordMergeProperties
{
    [Property]
    public void CampaignDefinitionMerge_ObeysSemilatticeLaws(Triple<CampaignDefinition?> t) => MergeLaws.All(t, CampaignDefinition.Merge);

    [Property]
    public void CampaignRecordMerge_ObeysSemilatticeLaws(Triple<CampaignRecord?> t) =>
        MergeLaws.All(t, (a, b) => b is null ? a : CampaignRecord.Merge(a, b));

    [Property]
    public void ServerInventoryMerge_ObeysSemilatticeLaws(Triple<ServerInventory?> t) => MergeLaws.All(t, ServerInventory.Merge);

    [Property]
    public void ServerStatusMerge_ObeysSemilatticeLaws(Triple<ServerStatus?> t) => MergeLaws.All(t, ServerStatus.Merge);

    [Property]
    public void ServerRecordMerge_ObeysSemilatticeLaws(Triple<ServerRecord?> t) =>
        MergeLaws.All(t, (a, b) => b is null ? a : ServerRecord.Merge(a, b));

    [Property]
    public void ServerStatusMerge_KeepsHighestAttemptThenSeq(Triple<ServerStatus?> t)
    {
        var merged = ServerStatus.Merge(t.A, t.B);
        var sides = new[] { t.A, t.B }.OfType<ServerStatus>().ToArray();
        if (sides.Length == 0) { Assert.Null(merged); return; }
        Assert.Equal(sides.Max(s => (s.Attempt, s.Seq)), (merged!.Attempt, merged.Seq));
    }
}
