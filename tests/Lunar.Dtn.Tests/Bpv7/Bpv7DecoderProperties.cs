using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>
/// The decoder faces untrusted bytes from any relay: random and mutated inputs never throw, never hang, and whatever
/// decodes is a valid bundle (it re-validates clean and re-encodes to exactly the input).
/// </summary>
public sealed class Bpv7DecoderProperties
{
    private static readonly byte[][] Seeds = LoadSeeds();

    private static byte[][] LoadSeeds()
    {
        var seeds = new List<byte[]>
        {
            Vectors.Hex("interop/hdtn_bpgen_bpv7_bundle.hex"),
            Vectors.Hex("interop/ion_issue52_unknown_block_type8.hex"),
            Vectors.Hex("rfc9173/cbor_A_3_5_final_bundle.hex"),
            Vectors.Hex("rfc9173/cbor_A_1_4_final_bundle.hex"),
            Bpv7Codec.Encode(RawCbor.Sample(payloadBytes: 30)),
            Bpv7Codec.Encode(Bpv7Fragmentation.Fragment(RawCbor.Sample(payloadBytes: 30), 10)[1]),
            Bpv7Codec.Encode(Bpv7Bundle.Create(EndpointId.Dtn("//moon/sync"), EndpointId.Dtn("//earth/sync"), new CreationTimestamp(0, 9), TimeSpan.FromDays(3), [1, 2], crc: CrcType.Crc16)),
        };
        seeds.AddRange(Vectors.HexLines("interop/ud3tn_generated_mtcp_to_c.hex"));
        return seeds.ToArray();
    }

    /// <summary>Decodes on another thread and fails if it takes longer than a generous bound: a hang is a failure, not a stuck run.</summary>
    private static bool DecodesSafely(byte[] input)
    {
        var work = Task.Run(() =>
        {
            var result = Bpv7Codec.Decode(input);
            if (!result.IsValid)
                return result.Rejection.Reason.Length > 0;
            // Whatever decodes is valid: no finding on re-validation (beyond the tolerated unprotected primary), same bytes out.
            var findings = Bpv7Validator.Check(result.Bundle).Where(f => f.Code != Bpv7RejectionCode.UnprotectedPrimaryBlock);
            return !findings.Any() && Bpv7Codec.Encode(result.Bundle).AsSpan().SequenceEqual(input);
        });
        if (!work.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException($"decoding {input.Length} bytes did not finish within 10 s: {Convert.ToHexStringLower(input.AsSpan(0, Math.Min(64, input.Length)))}");
        return work.Result; // an exception from Decode surfaces here and fails the property
    }

    private static Gen<byte[]> Mutated =>
        from seed in Gen.Elements(Seeds)
        from kind in Gen.Choose(0, 5)
        from at in Gen.Choose(0, seed.Length - 1)
        from value in Gen.Choose(0, 255)
        from count in Gen.Choose(1, 8)
        select Mutate(seed, kind, at, (byte)value, count);

    private static byte[] Mutate(byte[] seed, int kind, int at, byte value, int count)
    {
        var b = seed.ToList();
        switch (kind)
        {
            case 0: b[at] ^= (byte)(1 << (value % 8)); break;                     // one bit
            case 1: b[at] = value; break;                                        // one byte
            case 2: return seed[..at];                                           // truncation
            case 3: b.InsertRange(at, Enumerable.Repeat(value, count)); break;   // insertion
            case 4: b.RemoveRange(at, Math.Min(count, b.Count - at)); break;     // deletion
            default: for (var i = 0; i < count; i++) b[(at + i * 7) % b.Count] = (byte)(value + i); break; // a burst
        }
        return b.ToArray();
    }

    [Property(MaxTest = 3000)]
    public Property RandomBytes_NeverCrash_AndNeverDecodeIntoAnInvalidBundle() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).ToArbitrary(), DecodesSafely);

    [Property(MaxTest = 3000)]
    public Property RandomBytesBehindABundleHeader_NeverCrash() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).Select(tail => (byte[])[0x9F, 0x89, 0x07, .. tail]).ToArbitrary(), DecodesSafely);

    [Property(MaxTest = 5000)]
    public Property MutatedRealBundles_NeverCrash_AndNeverDecodeIntoAnInvalidBundle() => Prop.ForAll(Mutated.ToArbitrary(), DecodesSafely);

    [Property(MaxTest = 500)]
    public Property GeneratedBundles_RoundTripExactly() =>
        Prop.ForAll(
            (from payload in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i))
             from node in Gen.Choose(0, int.MaxValue)
             from time in Gen.Choose(0, int.MaxValue)
             from hops in Gen.Choose(1, 255)
             from crc in Gen.Elements(CrcType.None, CrcType.Crc16, CrcType.Crc32C)
             select Bpv7Bundle.Create(EndpointId.Ipn((ulong)node, 7), EndpointId.Ipn(2, 7), new CreationTimestamp((ulong)time * 1000, (ulong)hops),
                 TimeSpan.FromDays(14), payload, (byte)hops, crc: crc)).ToArbitrary(),
            bundle =>
            {
                var bytes = Bpv7Codec.Encode(bundle);
                var decoded = Bpv7Codec.Decode(bytes);
                return decoded.IsValid && Bpv7Codec.Encode(decoded.Bundle).AsSpan().SequenceEqual(bytes) && decoded.Bundle.Payload.AsSpan().SequenceEqual(bundle.Payload);
            });

    [Fact]
    public void MutationGenerator_ProducesBothRefusalsOfManyKindsAndSomeAcceptedInputs()
    {
        // A generator that only made garbage would prove little: check it reaches deep rules and valid outcomes too.
        var outcomes = Mutated.Sample(3000).Select(m => Bpv7Codec.Decode(m)).ToArray();
        var codes = outcomes.Where(o => !o.IsValid).Select(o => o.Rejection!.Code).Distinct().ToArray();
        Assert.True(codes.Length >= 6, "refusal kinds reached: " + string.Join(", ", codes));
        Assert.Contains(Bpv7RejectionCode.BadCrc, codes);
        Assert.Contains(Bpv7RejectionCode.Truncated, codes);
        Assert.Contains(outcomes, o => o.IsValid);
    }
}
