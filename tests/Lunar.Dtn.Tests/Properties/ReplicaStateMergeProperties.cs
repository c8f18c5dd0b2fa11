using FsCheck.Xunit;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>MergeFrom joins whole states (views, deltas, joined intervals) as a join-semilattice.</summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class ReplicaStateMergeProperties
{
    [Property]
    public void MergeFrom_IsCommutative(Triple<ReplicaState> t) => MergeLaws.Commutative(t, Canon.Merge);

    [Property]
    public void MergeFrom_IsAssociative(Triple<ReplicaState> t) => MergeLaws.Associative(t, Canon.Merge);

    [Property]
    public void MergeFrom_IsIdempotent(Triple<ReplicaState> t) => MergeLaws.Idempotent(t, Canon.Merge);

    [Property]
    public void MergeFrom_SameStatesInAnyOrder_GiveSameFingerprint(Triple<ReplicaState> t) =>
        Assert.Equal(Canon.Join([t.A, t.B, t.C]).Fingerprint(), Canon.Join([t.C, t.A, t.B, t.A]).Fingerprint());

    [Property]
    public void MergeFrom_DoesNotChangeItsArgument(Triple<ReplicaState> t)
    {
        var before = t.B.ToBytes();
        Canon.Merge(t.A, t.B);
        Assert.Equal(before, t.B.ToBytes());
    }
}
