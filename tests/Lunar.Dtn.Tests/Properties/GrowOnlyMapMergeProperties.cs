using FsCheck.Xunit;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// Artifacts (immutable, same id = same record), approvals, revocations (grow-only sets) and the audit
/// log (union of per-replica logs), each merged on its own.
/// </summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class GrowOnlyMapMergeProperties
{
    [Property]
    public void ArtifactMerge_ObeysSemilatticeLaws(Triple<ReplicaState> t) => MergeLaws.All(t.Map(StateProjection.Artifacts), Canon.Merge);

    [Property]
    public void ApprovalMerge_ObeysSemilatticeLaws(Triple<ReplicaState> t) => MergeLaws.All(t.Map(StateProjection.Approvals), Canon.Merge);

    [Property]
    public void RevocationMerge_ObeysSemilatticeLaws(Triple<ReplicaState> t) => MergeLaws.All(t.Map(StateProjection.Revocations), Canon.Merge);

    [Property]
    public void AuditMerge_ObeysSemilatticeLaws(Triple<ReplicaState> t) => MergeLaws.All(t.Map(StateProjection.Audit), Canon.Merge);

    [Property]
    public void AuditMerge_KeepsEveryEntryOfBothSides(Triple<ReplicaState> t)
    {
        var merged = Canon.Merge(t.A, t.B);
        Assert.True(merged.Audit.Keys.ToHashSet().SetEquals(t.A.Audit.Keys.Union(t.B.Audit.Keys)));
    }
}
