using System.Formats.Cbor;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>Every rule the strict decoder enforces, each broken once: the right code and a sentence that names what is wrong.</summary>
public sealed class Bpv7RejectionTests
{
    private static Bpv7Rejection Refused(byte[] bytes)
    {
        var result = Bpv7Codec.Decode(bytes);
        Assert.False(result.IsValid, "expected a rejection");
        return result.Rejection;
    }

    [Fact]
    public void ValidSample_Decodes_AndReencodesToTheSameBytes()
    {
        var bytes = Bpv7Codec.Encode(RawCbor.Sample());
        var result = Bpv7Codec.Decode(bytes);
        Assert.True(result.IsValid, result.Rejection?.ToString());
        Assert.Equal(bytes, Bpv7Codec.Encode(result.Bundle));
    }

    [Fact]
    public void EmptyInput_IsTruncated() => Assert.Equal(Bpv7RejectionCode.Truncated, Refused([]).Code);

    [Fact]
    public void EveryProperPrefix_IsRefusedAsTruncated()
    {
        var bytes = Bpv7Codec.Encode(RawCbor.Sample(payloadBytes: 40));
        for (var n = 1; n < bytes.Length; n++)
        {
            var r = Refused(bytes[..n]);
            Assert.True(r.Code == Bpv7RejectionCode.Truncated, $"prefix of {n} bytes: {r}");
        }
    }

    [Fact]
    public void FlippedPayloadByte_FailsTheCrc_NamingTheBlock()
    {
        var bytes = Vectors.Hex("interop/hdtn_bpgen_bpv7_bundle.hex");
        bytes[^10] ^= 0x01;
        var r = Refused(bytes);
        Assert.Equal(Bpv7RejectionCode.BadCrc, r.Code);
        Assert.StartsWith("block 1 (payload): CRC-32C is", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FlippedPrimaryByte_FailsTheCrc16()
    {
        var bytes = Vectors.HexLines("interop/ud3tn_generated_mtcp_to_c.hex")[0];
        bytes[12] ^= 0x20; // 'd' of "//c.dtn/sink" becomes 'D'
        var r = Refused(bytes);
        Assert.Equal(Bpv7RejectionCode.BadCrc, r.Code);
        Assert.StartsWith("primary block: CRC-16 is", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Version6_IsUnsupported() =>
        Assert.Equal("bundle protocol version 6; only version 7 is supported", Refused(RawCbor.Bundle(RawCbor.Primary(version: 6), RawCbor.Payload())).Reason);

    [Theory]
    [InlineData("68656c6c6f")]          // "hello": a text-string header of 8 bytes that is not a bundle
    [InlineData("9f1c")]                // reserved additional information 28
    [InlineData("9fa0ff")]              // a map where a block should be
    [InlineData("40")]                  // an empty byte string
    public void MalformedCbor_IsRefused(string hex)
    {
        var r = Refused(Convert.FromHexString(hex));
        Assert.True(r.Code is Bpv7RejectionCode.MalformedCbor or Bpv7RejectionCode.MalformedBlock or Bpv7RejectionCode.Truncated, r.ToString());
    }

    [Fact]
    public void BundleWithoutPayloadBlock_IsMissingPayload()
    {
        var r = Refused(RawCbor.Bundle(RawCbor.Primary(), RawCbor.Block(BlockTypes.HopCount, 2, ExtensionBlocks.WriteHopCount(new HopCount(10, 0)))));
        Assert.Equal(Bpv7RejectionCode.MissingPayload, r.Code);
        Assert.Equal("the bundle has no payload block (type 1)", r.Reason);
    }

    [Fact]
    public void PrimaryOnly_IsMissingPayload() => Assert.Equal(Bpv7RejectionCode.MissingPayload, Refused(RawCbor.Bundle(RawCbor.Primary())).Code);

    [Fact]
    public void PayloadBeforeAnotherBlock_IsRefused() =>
        Assert.Equal(Bpv7RejectionCode.PayloadNotLast, Refused(RawCbor.Bundle(RawCbor.Primary(), RawCbor.Payload(), RawCbor.Block(BlockTypes.HopCount, 2, ExtensionBlocks.WriteHopCount(new HopCount(10, 0))))).Code);

    [Fact]
    public void TwoBlocksWithOneNumber_AreRefused()
    {
        var age = RawCbor.Block(BlockTypes.BundleAge, 2, ExtensionBlocks.WriteBundleAge(5));
        var hops = RawCbor.Block(BlockTypes.HopCount, 2, ExtensionBlocks.WriteHopCount(new HopCount(10, 0)));
        var r = Refused(RawCbor.Bundle(RawCbor.Primary(), age, hops, RawCbor.Payload()));
        Assert.Equal(Bpv7RejectionCode.DuplicateBlockNumber, r.Code);
        Assert.Equal("block number 2 is used by 2 blocks", r.Reason);
    }

    [Fact]
    public void TwoHopCountBlocks_AreRefused()
    {
        var a = RawCbor.Block(BlockTypes.HopCount, 2, ExtensionBlocks.WriteHopCount(new HopCount(10, 0)));
        var b = RawCbor.Block(BlockTypes.HopCount, 3, ExtensionBlocks.WriteHopCount(new HopCount(10, 0)));
        Assert.Equal(Bpv7RejectionCode.DuplicateExtensionBlock, Refused(RawCbor.Bundle(RawCbor.Primary(), a, b, RawCbor.Payload())).Code);
    }

    [Fact]
    public void PayloadNumberedOtherThanOne_IsRefused() =>
        Assert.Equal("the payload block has number 5; it must be 1", Refused(RawCbor.Bundle(RawCbor.Primary(), RawCbor.Block(BlockTypes.Payload, 5, [1]))).Reason);

    [Fact]
    public void DefiniteLengthBundleArray_IsRefused()
    {
        var indefinite = Bpv7Codec.Encode(RawCbor.Sample());
        byte[] definite = [0x83, .. indefinite[1..^1]];
        var r = Refused(definite);
        Assert.Equal(Bpv7RejectionCode.NotDeterministic, r.Code);
        Assert.Contains("indefinite-length array", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegerNotInShortestForm_IsRefused()
    {
        var primary = RawCbor.Primary();
        var hex = Convert.ToHexStringLower(primary).Replace("1a05265c00", "1b0000000005265c00", StringComparison.Ordinal); // lifetime in 8 bytes
        var r = Refused(RawCbor.Bundle(Convert.FromHexString(hex), RawCbor.Payload()));
        Assert.Equal(Bpv7RejectionCode.NotDeterministic, r.Code);
        Assert.StartsWith("primary block is not in deterministic CBOR", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesAfterTheBundle_AreRefused()
    {
        byte[] bytes = [.. Bpv7Codec.Encode(RawCbor.Sample()), 0x00];
        Assert.Equal("1 bytes follow the end of the bundle", Refused(bytes).Reason);
    }

    [Fact]
    public void CrcType3_IsUnknown() =>
        Assert.Equal(Bpv7RejectionCode.UnknownCrcType, Refused(RawCbor.Bundle(RawCbor.Primary(crcType: 3, fields: 9), RawCbor.Payload())).Code);

    [Fact]
    public void CrcTypeWithoutCrcField_IsMalformed() =>
        Assert.Equal(Bpv7RejectionCode.MalformedBlock, Refused(RawCbor.Bundle(RawCbor.Primary(crcType: 1), RawCbor.Payload())).Code);

    [Fact]
    public void EndpointWithSchemeCode3_IsABadEndpoint()
    {
        var r = Refused(RawCbor.Bundle(RawCbor.Primary(destScheme: 3), RawCbor.Payload()));
        Assert.Equal(Bpv7RejectionCode.BadEndpoint, r.Code);
        Assert.Equal("destination: URI scheme code 3 is neither dtn (1) nor ipn (2)", r.Reason);
    }

    [Fact]
    public void FragmentFlagWithoutFragmentFields_IsABadFragment() =>
        Assert.Equal(Bpv7RejectionCode.BadFragment, Refused(RawCbor.Bundle(RawCbor.Primary(flags: 1), RawCbor.Payload())).Code);

    [Fact]
    public void FragmentFieldsWithoutTheFlag_AreABadFragment() =>
        Assert.Equal(Bpv7RejectionCode.BadFragment, Refused(RawCbor.Bundle(RawCbor.Primary(fields: 10), RawCbor.Payload())).Code);

    [Theory]
    [InlineData(0UL)]
    [InlineData(256UL)]
    public void HopLimitOutside1To255_IsRefused(ulong limit)
    {
        var r = Refused(RawCbor.Bundle(RawCbor.Primary(), RawCbor.Block(BlockTypes.HopCount, 2, ExtensionBlocks.WriteHopCount(new HopCount(limit, 0))), RawCbor.Payload()));
        Assert.Equal(Bpv7RejectionCode.MalformedExtensionBlock, r.Code);
        Assert.Contains($"hop limit {limit}", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BundleAgeThatIsNotANumber_IsMalformed()
    {
        var w = new CborWriter();
        w.WriteTextString("old");
        var r = Refused(RawCbor.Bundle(RawCbor.Primary(), RawCbor.Block(BlockTypes.BundleAge, 2, w.Encode()), RawCbor.Payload()));
        Assert.Equal(Bpv7RejectionCode.MalformedExtensionBlock, r.Code);
        Assert.Contains("bundle age is a text string", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnonymousSourceThatMayBeFragmented_HasInconsistentFlags()
    {
        var bundle = RawCbor.Sample() with { Primary = RawCbor.Sample().Primary with { Source = EndpointId.None, ReportTo = EndpointId.None } };
        Assert.Equal(Bpv7RejectionCode.InconsistentFlags, Refused(Bpv7Codec.Encode(bundle)).Code);
        var fixedUp = bundle with { Primary = bundle.Primary with { Flags = BundleFlags.MustNotFragment } };
        Assert.True(Bpv7Codec.Decode(Bpv7Codec.Encode(fixedUp)).IsValid);
    }

    [Fact]
    public void CreationTimeZeroWithoutBundleAge_IsRefused() =>
        Assert.Equal(Bpv7RejectionCode.MissingBundleAge, Refused(RawCbor.Bundle(RawCbor.Primary(creationTime: 0), RawCbor.Payload())).Code);

    [Fact]
    public void BlockNumberZero_IsRefused() =>
        Assert.Contains("has number 0", Refused(RawCbor.Bundle(RawCbor.Primary(), RawCbor.Block(9, 0, []), RawCbor.Payload())).Reason, StringComparison.Ordinal);
}
