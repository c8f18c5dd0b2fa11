using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>What a forwarding node does: expiry, hop limit, unknown blocks by their flags, hop count, age and previous node.</summary>
public sealed class Bpv7ProcessingTests
{
    private static readonly DateTimeOffset FreshNow = DtnTime.ToDateTime(849_250_141_714); // a minute after the fresh type-8 bundle was made (its lifetime is 10 minutes)

    private static Bpv7Bundle Fresh() => Bpv7Codec.Decode(Vectors.Hex("interop/ud3tn_accepted_unknown_block_type8_fresh.hex")).Bundle!;

    [Fact]
    public void UnknownBlockType8WithoutDeleteOrDiscardFlags_IsKeptAndForwardedUnchanged()
    {
        var bundle = Fresh();
        var kept = Bpv7Processing.OnReceive(bundle, FreshNow);
        Assert.True(kept.IsValid, kept.Rejection?.ToString());
        var forwarded = Bpv7Processing.ForForwarding(kept.Bundle, EndpointId.Ipn(9, 0), TimeSpan.FromSeconds(2));
        var bytes = Bpv7Codec.Encode(forwarded);
        var again = Bpv7Codec.Decode(bytes);
        Assert.True(again.IsValid, again.Rejection?.ToString());
        var original8 = Bpv7Writer.EncodeCanonical(bundle.Find(8)!);
        Assert.Equal(original8, Bpv7Writer.EncodeCanonical(again.Bundle.Find(8)!));
        Assert.Equal(EndpointId.Ipn(9, 0), again.Bundle.PreviousNode);
        Assert.Equal(bundle.Payload, again.Bundle.Payload);
        Assert.Equal(bundle.Primary, again.Bundle.Primary);
    }

    [Fact]
    public void UnknownBlockFlaggedDeleteBundle_DeletesTheBundle()
    {
        var bundle = Fresh();
        var flagged = bundle.WithBlocks(bundle.Blocks.Select(b => b.Type == 8 ? b with { Flags = BlockFlags.DeleteBundleIfUnprocessable } : b));
        var result = Bpv7Processing.OnReceive(Bpv7Codec.Decode(Bpv7Codec.Encode(flagged)).Bundle!, FreshNow);
        Assert.False(result.IsValid);
        Assert.Equal(Bpv7RejectionCode.UnprocessableBlock, result.Rejection.Code);
        Assert.Contains("unknown type 8", result.Rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownBlockFlaggedDiscardBlock_IsDroppedAndTheRestForwarded()
    {
        var bundle = Fresh();
        var flagged = bundle.WithBlocks(bundle.Blocks.Select(b => b.Type == 8 ? b with { Flags = BlockFlags.DiscardBlockIfUnprocessable } : b));
        var result = Bpv7Processing.OnReceive(flagged, FreshNow);
        Assert.True(result.IsValid);
        Assert.Null(result.Bundle.Find(8));
        Assert.Equal("Hello, World!", System.Text.Encoding.ASCII.GetString(result.Bundle.Payload));
    }

    [Fact]
    public void Ion52BundleFrom2025_IsExpiredNow_AsItsREADMESays()
    {
        var old = Bpv7Codec.Decode(Vectors.Hex("interop/ion_issue52_unknown_block_type8.hex")).Bundle!;
        var result = Bpv7Processing.OnReceive(old, FreshNow);
        Assert.Equal(Bpv7RejectionCode.Expired, result.Rejection?.Code);
        Assert.True(Bpv7Processing.OnReceive(old, DtnTime.ToDateTime(old.Primary.Creation.Time + 1000)).IsValid);
    }

    [Fact]
    public void HopCountAtItsLimit_IsForwardedOnce_ThenRefused()
    {
        var bundle = Bpv7Bundle.Create(EndpointId.Ipn(1, 7), EndpointId.Ipn(2, 7), new CreationTimestamp(849_000_000_000, 0), TimeSpan.FromDays(7), [1, 2, 3], hopLimit: 1);
        var once = Bpv7Processing.ForForwarding(bundle, EndpointId.Ipn(5, 0), TimeSpan.Zero);
        Assert.Equal(new HopCount(1, 1), once.HopCount);
        Assert.True(Bpv7Processing.OnReceive(once, FreshNow).IsValid);
        var twice = Bpv7Processing.ForForwarding(once, EndpointId.Ipn(6, 0), TimeSpan.Zero);
        Assert.Equal(Bpv7RejectionCode.HopLimitExceeded, Bpv7Processing.OnReceive(twice, FreshNow).Rejection?.Code);
    }

    [Fact]
    public void NoClockBundle_AgesOnEveryHop_AndExpiresByItsAge()
    {
        var bundle = Bpv7Bundle.Create(EndpointId.Ipn(1, 7), EndpointId.Ipn(2, 7), new CreationTimestamp(0, 1), TimeSpan.FromHours(1), [9]);
        Assert.True(Bpv7Codec.Decode(Bpv7Codec.Encode(bundle)).IsValid);
        var aged = Bpv7Processing.ForForwarding(bundle, EndpointId.Ipn(5, 0), TimeSpan.FromMinutes(59));
        Assert.Equal((ulong)TimeSpan.FromMinutes(59).TotalMilliseconds, aged.AgeMilliseconds);
        Assert.True(Bpv7Processing.OnReceive(aged, FreshNow, receivedAt: FreshNow).IsValid);
        Assert.Equal(Bpv7RejectionCode.Expired, Bpv7Processing.OnReceive(aged, FreshNow.AddMinutes(2), receivedAt: FreshNow).Rejection?.Code);
    }
}
