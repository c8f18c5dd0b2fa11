using FsCheck.Xunit;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// Constellation versions: an immutable grow-only map keyed by version. Same key = same record; two different
/// records under one version (a root that signed twice) resolve the same way on every replica, in any order.
/// </summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class ConstellationMergeProperties
{
    [Property]
    public void ConstellationMerge_ObeysSemilatticeLaws(Triple<ReplicaState> t) => MergeLaws.All(t.Map(StateProjection.Constellations), Canon.Merge);

    [Property]
    public void ConstellationMerge_KeepsEveryVersionOfBothSides_EachAsOneOfTheInputs(Triple<ReplicaState> t)
    {
        var merged = Canon.Merge(t.A, t.B);
        Assert.True(merged.Constellations.Keys.ToHashSet().SetEquals(t.A.Constellations.Keys.Union(t.B.Constellations.Keys)));
        foreach (var (key, record) in merged.Constellations)
            Assert.True((t.A.Constellations.TryGetValue(key, out var a) && Canon.Same(a, record)) || (t.B.Constellations.TryGetValue(key, out var b) && Canon.Same(b, record)),
                $"version {key} is neither side's record");
    }

    [Property]
    public void ConstellationMerge_RivalRecordsOfOneVersion_ResolveTheSameWhicheverArrivesFirst(Triple<ReplicaState> t) =>
        Canon.AssertSame(Canon.Merge(t.A, t.B).Constellations, Canon.Merge(t.B, t.A).Constellations, "deterministic tie: a+b = b+a on constellations");
}
