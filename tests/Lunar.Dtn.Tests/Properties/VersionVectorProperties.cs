using FsCheck.Xunit;
using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Version vectors: merge is a join (pointwise max) and Dominates is the order it induces.</summary>
[Properties(Arbitrary = [typeof(PropertyArbitraries)])]
public sealed class VersionVectorProperties
{
    [Property]
    public void Merge_IsCommutative(VersionVector a, VersionVector b) => Same(a.Merge(b), b.Merge(a));

    [Property]
    public void Merge_IsAssociative(VersionVector a, VersionVector b, VersionVector c) => Same(a.Merge(b).Merge(c), a.Merge(b.Merge(c)));

    [Property]
    public void Merge_IsIdempotent(VersionVector a, VersionVector b)
    {
        Same(a, a.Merge(a));
        Same(a.Merge(b), a.Merge(b).Merge(b));
    }

    [Property]
    public void Merge_DominatesBothSides(VersionVector a, VersionVector b)
    {
        Assert.True(a.Merge(b).Dominates(a));
        Assert.True(a.Merge(b).Dominates(b));
    }

    [Property]
    public void Dominates_HoldsExactlyWhenMergeAddsNothing(VersionVector a, VersionVector b) =>
        Assert.Equal(a.Dominates(b), a.Merge(b).Equals(a));

    [Property]
    public void Dominates_BothWays_MeansEqual(VersionVector a, VersionVector b) =>
        Assert.Equal(a.Dominates(b) && b.Dominates(a), a.Equals(b));

    [Property]
    public void Contains_AgreesWithDominatingTheSingleEntryVector(VersionVector a, VersionVector b)
    {
        foreach (var e in b.Entries)
            Assert.Equal(a.Contains(new Dot(e.Stream.Origin, e.Stream.Channel, e.Seq)), a.Dominates(VersionVector.Empty.With(e.Stream, e.Seq)));
    }

    private static void Same(VersionVector x, VersionVector y)
    {
        Assert.Equal(x, y);
        Assert.Equal(Serialization.Serialize(x), Serialization.Serialize(y));
    }
}
