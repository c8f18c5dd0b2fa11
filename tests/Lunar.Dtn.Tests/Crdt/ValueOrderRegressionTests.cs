using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Tests.Crdt;

/// <summary>
/// Found by the LWW merge property on unconstrained inputs: ValueOrder called values equal when
/// Equals said so (0.0 equals -0.0), although their canonical bytes differ, so the merge of two writes
/// tied on stamp and writer kept whichever came first and replicas could diverge byte for byte.
/// </summary>
public sealed class ValueOrderRegressionTests
{
    private static readonly HlcTimestamp Stamp = HlcTimestamp.From(1_800_000_000_000, 0);

    [Fact]
    public void Compare_ValuesEqualButSerialisedDifferently_OrdersThemByBytes()
    {
        var zero = new AnomalyPolicy(0.0, 10);
        var negativeZero = new AnomalyPolicy(-0.0, 10);

        Assert.Equal(zero, negativeZero);
        Assert.NotEqual(0, ValueOrder.Compare(zero, negativeZero));
        Assert.Equal(-ValueOrder.Compare(zero, negativeZero), ValueOrder.Compare(negativeZero, zero));
    }

    [Fact]
    public void LwwMerge_SameStampAndWriterWithZeroAndNegativeZero_IsCommutative()
    {
        var a = new LwwRegister<AnomalyPolicy?>(new AnomalyPolicy(0.0, 10), Stamp, "earth");
        var b = new LwwRegister<AnomalyPolicy?>(new AnomalyPolicy(-0.0, 10), Stamp, "earth");

        Assert.Equal(
            Serialization.Serialize(LwwRegister<AnomalyPolicy?>.Merge(a, b)),
            Serialization.Serialize(LwwRegister<AnomalyPolicy?>.Merge(b, a)));
    }
}
