using System.Text;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>Byte-exact decoding and re-encoding of RFC 9173 Appendix A and of bundles captured from µD3TN and HDTN.</summary>
public sealed class Bpv7VectorTests
{
    public static TheoryData<string> PrimaryBlocks => Vectors.Rfc9173("primary_block");
    public static TheoryData<string> CanonicalBlocks => Vectors.Rfc9173("payload_block", "bundle_age_block", "bib_block", "bcb_block");
    public static TheoryData<string> Bundles => Vectors.Rfc9173("original_bundle", "final_bundle");

    [Theory]
    [MemberData(nameof(PrimaryBlocks))]
    public void Rfc9173PrimaryBlock_Decodes_AndReencodesToTheSameBytes(string file)
    {
        var bytes = Vectors.Hex(file);
        var primary = Bpv7Reader.PrimaryOnly(bytes);
        Assert.Equal(EndpointId.Ipn(1, 2), primary.Destination);
        Assert.Equal(EndpointId.Ipn(2, 1), primary.Source);
        Assert.Equal(EndpointId.Ipn(2, 1), primary.ReportTo);
        Assert.Equal(new CreationTimestamp(0, 40), primary.Creation);
        Assert.Equal(1_000_000UL, primary.Lifetime);
        Assert.Equal(CrcType.None, primary.CrcType);
        Assert.Equal(bytes, Bpv7Writer.EncodePrimary(primary));
    }

    [Theory]
    [MemberData(nameof(CanonicalBlocks))]
    public void Rfc9173CanonicalBlock_Decodes_AndReencodesToTheSameBytes(string file)
    {
        var bytes = Vectors.Hex(file);
        var block = Bpv7Reader.CanonicalOnly(bytes);
        Assert.Equal(bytes, Bpv7Writer.EncodeCanonical(block));
        if (file.Contains("payload", StringComparison.Ordinal))
            Assert.Equal(Vectors.Hex("rfc9173/cbor_A_1_1_2_payload_raw.hex"), block.Data);
        if (file.Contains("bib_asb", StringComparison.Ordinal) || file.Contains("bcb_asb", StringComparison.Ordinal))
            Assert.Fail("security block data files are not blocks");
    }

    [Fact]
    public void Rfc9173BundleAgeBlock_HoldsAnAgeOf300Milliseconds()
    {
        var block = Bpv7Reader.CanonicalOnly(Vectors.Hex("rfc9173/cbor_A_3_1_2_bundle_age_block.hex"));
        Assert.Equal(BlockTypes.BundleAge, block.Type);
        Assert.Equal(2UL, block.Number);
        Assert.Equal(300UL, ExtensionBlocks.ReadBundleAge(block.Data));
    }

    [Theory]
    [InlineData("cbor_A_1_3_3_bib_block.hex", "cbor_A_1_3_2_bib_asb_btsd.hex", new ulong[] { 1 })]
    [InlineData("cbor_A_3_3_3_bib_block.hex", "cbor_A_3_3_2_bib_asb_btsd.hex", new ulong[] { 0, 2 })]
    [InlineData("cbor_A_4_4_3_bcb_block.hex", "cbor_A_4_4_2_bcb_asb_btsd.hex", new ulong[] { 3, 1 })]
    public void Rfc9173SecurityBlock_CarriesItsAbstractSecurityBlock_AndNamesItsTargets(string file, string asb, ulong[] targets)
    {
        var block = Bpv7Reader.CanonicalOnly(Vectors.Hex("rfc9173/" + file));
        Assert.Equal(Vectors.Hex("rfc9173/" + asb), block.Data);
        Assert.Equal(targets, ExtensionBlocks.ReadSecurityTargets(block.Data));
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void Rfc9173Bundle_Parses_AndReencodesToTheSameBytes(string file)
    {
        var bytes = Vectors.Hex(file);
        var parsed = Bpv7Codec.Parse(bytes);
        Assert.True(parsed.IsValid, parsed.Rejection?.ToString());
        Assert.Equal(bytes, Bpv7Codec.Encode(parsed.Bundle));
        Assert.True(parsed.Bundle.Blocks[^1].IsPayload);
    }

    [Fact]
    public void Rfc9173Example3FinalBundle_IsValid_BecauseItsBibCoversThePrimaryBlockAndItHasABundleAge()
    {
        var result = Bpv7Codec.Decode(Vectors.Hex("rfc9173/cbor_A_3_5_final_bundle.hex"));
        Assert.True(result.IsValid, result.Rejection?.ToString());
        Assert.Equal(300UL, result.Bundle.AgeMilliseconds);
        Assert.Equal([BlockTypes.BlockIntegrity, BlockTypes.BlockConfidentiality, BlockTypes.BundleAge, BlockTypes.Payload], result.Bundle.Blocks.Select(b => b.Type));
    }

    [Theory]
    [InlineData("rfc9173/cbor_A_1_4_final_bundle.hex")]
    [InlineData("rfc9173/cbor_A_2_4_final_bundle.hex")]
    [InlineData("rfc9173/cbor_A_4_5_final_bundle.hex")]
    public void Rfc9173BundleWithCreationTimeZeroAndNoBundleAge_IsRefused_WithTheReason(string file)
    {
        var result = Bpv7Codec.Decode(Vectors.Hex(file));
        Assert.False(result.IsValid);
        Assert.Equal(Bpv7RejectionCode.MissingBundleAge, result.Rejection.Code);
        Assert.Contains("no bundle-age block", result.Rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc9173Example3OriginalBundle_UnprotectedPrimary_IsToleratedByDefault_AndRefusedWhenProtectionIsRequired()
    {
        var bytes = Vectors.Hex("rfc9173/cbor_A_3_1_4_original_bundle.hex");
        Assert.True(Bpv7Codec.Decode(bytes).IsValid);
        var strict = Bpv7Codec.Decode(bytes, requireProtectedPrimary: true);
        Assert.False(strict.IsValid);
        Assert.Equal(Bpv7RejectionCode.UnprotectedPrimaryBlock, strict.Rejection.Code);
        Assert.Contains("no CRC and no block-integrity block targets it", strict.Rejection.Reason, StringComparison.Ordinal);
        Assert.True(Bpv7Codec.Decode(Vectors.Hex("rfc9173/cbor_A_3_5_final_bundle.hex"), requireProtectedPrimary: true).IsValid);
    }

    [Fact]
    public void Rfc9173Example1_WithoutBundleAge_FindsBothMissingRules()
    {
        var parsed = Bpv7Codec.Parse(Vectors.Hex("rfc9173/cbor_A_1_4_final_bundle.hex"));
        var codes = Bpv7Validator.Check(parsed.Bundle!).Select(f => f.Code).ToArray();
        Assert.Equal([Bpv7RejectionCode.UnprotectedPrimaryBlock, Bpv7RejectionCode.MissingBundleAge], codes);
    }

    [Fact]
    public void HdtnBundle_Decodes_WithCrc32COnEveryBlock_AndReencodesToTheSameBytes()
    {
        var bytes = Vectors.Hex("interop/hdtn_bpgen_bpv7_bundle.hex");
        var result = Bpv7Codec.Decode(bytes);
        Assert.True(result.IsValid, result.Rejection?.ToString());
        var b = result.Bundle;
        Assert.Equal((BundleFlags)0x4004, b.Primary.Flags);
        Assert.Equal(EndpointId.Ipn(2, 1), b.Primary.Destination);
        Assert.Equal(EndpointId.Ipn(1, 1), b.Primary.Source);
        Assert.All(b.Blocks, block => Assert.Equal(CrcType.Crc32C, block.CrcType));
        Assert.Equal(CrcType.Crc32C, b.Primary.CrcType);
        Assert.Equal(new HopCount(100, 0), b.HopCount);
        Assert.Equal(new byte[100], b.Payload);
        Assert.Equal(bytes, Bpv7Codec.Encode(b));
    }

    [Fact]
    public void Ud3tnBundles_Decode_WithDtnEndpoints_AndReencodeToTheSameBytes()
    {
        var captured = Vectors.HexLines("interop/ud3tn_generated_mtcp_to_c.hex").Concat(Vectors.HexLines("interop/ud3tn_generated_mtcp_to_d_after_blackout.hex")).ToArray();
        Assert.Equal(3, captured.Length);
        var payloads = new List<string>();
        foreach (var bytes in captured)
        {
            var result = Bpv7Codec.Decode(bytes);
            Assert.True(result.IsValid, result.Rejection?.ToString());
            var p = result.Bundle.Primary;
            Assert.Equal(CrcType.Crc16, p.CrcType);
            Assert.Equal(86_400_000UL, p.Lifetime);
            Assert.StartsWith("dtn://", p.Destination.ToString(), StringComparison.Ordinal);
            Assert.StartsWith("dtn://a.dtn/", p.Source.ToString(), StringComparison.Ordinal);
            Assert.True(p.ReportTo.IsNone);
            Assert.Equal(bytes, Bpv7Codec.Encode(result.Bundle));
            payloads.Add(Encoding.ASCII.GetString(result.Bundle.Payload));
        }
        Assert.Equal(["Hello", "second bundle to raw MTCP sink", "queued during blackout"], payloads);
    }

    [Theory]
    [InlineData("interop/ion_issue52_unknown_block_type8.hex")]
    [InlineData("interop/ud3tn_accepted_unknown_block_type8_fresh.hex")]
    public void BundleWithUnknownBlockType8_IsAccepted_AndReencodesToTheSameBytes(string file)
    {
        var bytes = Vectors.Hex(file);
        var result = Bpv7Codec.Decode(bytes);
        Assert.True(result.IsValid, result.Rejection?.ToString());
        var unknown = Assert.Single(result.Bundle.Blocks, b => b.Type == 8);
        Assert.Equal(BlockFlags.ReplicateInEveryFragment, unknown.Flags);
        Assert.Equal("Hello, World!", Encoding.ASCII.GetString(result.Bundle.Payload));
        Assert.Equal(bytes, Bpv7Codec.Encode(result.Bundle));
    }

    [Fact]
    public void Bp7rsSamples_IpnAndNoneEndpointsAndPayloadBlock_ReencodeToTheSameBytes()
    {
        const string file = "other/bp7rs_encoding_samples.txt";
        var payload = Vectors.Sample(file, "payload_block");
        Assert.Equal(payload, Bpv7Writer.EncodeCanonical(Bpv7Reader.CanonicalOnly(payload)));
        Assert.Equal("ABC", Encoding.ASCII.GetString(Bpv7Reader.CanonicalOnly(payload).Data));
        foreach (var (name, expected) in new[] { ("eid ipn:23.42", "ipn:23.42"), ("eid dtn:none", "dtn:none") })
        {
            var bytes = Vectors.Sample(file, name);
            var eid = ExtensionBlocks.ReadPreviousNode(bytes);
            Assert.Equal(expected, eid.ToString());
            Assert.Equal(bytes, ExtensionBlocks.WritePreviousNode(eid));
        }
    }

    [Theory]
    [InlineData("eid dtn://node1/test")]
    [InlineData("primary_crc16")]
    [InlineData("primary_crc32c")]
    public void Bp7rsDraftEraDtnEndpoint_WithoutTheDoubleSlash_IsRefusedAsABadEndpoint(string name)
    {
        // The draft wrote dtn SSPs as "node1/test"; RFC 9171 §4.2.5.1.1 wants "//node1/test".
        var bytes = Vectors.Sample("other/bp7rs_encoding_samples.txt", name);
        var ex = Assert.ThrowsAny<Exception>(() => name.StartsWith("eid", StringComparison.Ordinal) ? ExtensionBlocks.ReadPreviousNode(bytes) : Bpv7Reader.PrimaryOnly(bytes));
        Assert.Contains("is not dtn://node-name[/demux]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hop_count_block")]
    [InlineData("bundle_age_block")]
    [InlineData("previous_node_block")]
    public void Bp7rsDraftEraExtensionBlock_WithDataNotWrappedInAByteString_IsRefused(string name)
    {
        var bytes = Vectors.Sample("other/bp7rs_encoding_samples.txt", name);
        var ex = Assert.ThrowsAny<Exception>(() => Bpv7Reader.CanonicalOnly(bytes));
        Assert.Contains("not a byte string", ex.Message, StringComparison.Ordinal);
    }
}
