using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>RFC 9171 §5.8–5.9: fragments are valid bundles; any order, duplicates and overlaps reassemble to the original bytes.</summary>
public sealed class Bpv7FragmentationTests
{
    private static Bpv7Bundle WithReplicatedBlock()
    {
        var b = RawCbor.Sample(payloadBytes: 10_000);
        var unknown = new CanonicalBlock(8, 9, BlockFlags.ReplicateInEveryFragment, CrcType.Crc16, [0xAB]);
        return b.WithBlocks(new[] { unknown }.Concat(b.Blocks));
    }

    [Fact]
    public void Fragments_AreValidBundles_CarryingReplicatedBlocksEverywhere_AndOtherBlocksOnlyFirst()
    {
        var fragments = Bpv7Fragmentation.Fragment(WithReplicatedBlock(), 1_000);
        Assert.Equal(10, fragments.Count);
        for (var i = 0; i < fragments.Count; i++)
        {
            var decoded = Bpv7Codec.Decode(Bpv7Codec.Encode(fragments[i]));
            Assert.True(decoded.IsValid, $"fragment {i}: {decoded.Rejection}");
            Assert.Equal((ulong)(i * 1000), decoded.Bundle.Primary.FragmentOffset);
            Assert.Equal(10_000UL, decoded.Bundle.Primary.TotalAduLength);
            Assert.NotNull(decoded.Bundle.Find(8));
            Assert.Equal(i == 0, decoded.Bundle.Find(BlockTypes.HopCount) is not null);
        }
    }

    [Fact]
    public void ShuffledDuplicatedFragments_ReassembleToTheOriginalBytes()
    {
        var original = WithReplicatedBlock();
        var fragments = Bpv7Fragmentation.Fragment(original, 777);
        var arrivals = fragments.Concat(fragments.Take(3)).OrderBy(_ => Random.Shared.Next()).ToList();
        var reassembly = new Bpv7Reassembly();
        Bpv7Bundle? whole = null;
        foreach (var f in arrivals)
        {
            var decoded = Bpv7Codec.Decode(Bpv7Codec.Encode(f)).Bundle!;
            whole ??= reassembly.Add(decoded);
        }
        Assert.NotNull(whole);
        Assert.Equal(Bpv7Codec.Encode(original), Bpv7Codec.Encode(whole));
        Assert.Equal(0, reassembly.PendingCount);
    }

    [Fact]
    public void FragmentsOfAFragment_WithOverlaps_Reassemble()
    {
        var original = RawCbor.Sample(payloadBytes: 3_000);
        var coarse = Bpv7Fragmentation.Fragment(original, 1_500);
        var fine = Bpv7Fragmentation.Fragment(coarse[1], 400); // offsets 1500, 1900, ... relative to the original
        var reassembly = new Bpv7Reassembly();
        Assert.Null(reassembly.Add(fine[0]));
        Assert.Null(reassembly.Add(coarse[0]));
        Assert.Null(reassembly.Add(fine[2]));
        Assert.Null(reassembly.Add(coarse[0]));
        foreach (var f in fine.Skip(1).Take(fine.Count - 2)) Assert.Null(reassembly.Add(f));
        var whole = reassembly.Add(fine[^1]);
        Assert.Equal(Bpv7Codec.Encode(original), Bpv7Codec.Encode(whole!));
    }

    [Fact]
    public void MustNotFragment_IsRespected()
    {
        var b = RawCbor.Sample(payloadBytes: 100);
        var pinned = b with { Primary = b.Primary with { Flags = BundleFlags.MustNotFragment } };
        Assert.Throws<InvalidOperationException>(() => Bpv7Fragmentation.Fragment(pinned, 10));
        Assert.Same(pinned, Assert.Single(Bpv7Fragmentation.Fragment(pinned, 100)));
    }

    [Fact]
    public void FragmentClaimingAnotherTotalLength_IsRefused()
    {
        var fragments = Bpv7Fragmentation.Fragment(RawCbor.Sample(payloadBytes: 100), 50);
        var reassembly = new Bpv7Reassembly();
        reassembly.Add(fragments[0]);
        var liar = fragments[1] with { Primary = fragments[1].Primary with { TotalAduLength = 120 } };
        Assert.Contains("an earlier fragment", Assert.Throws<ArgumentException>(() => reassembly.Add(liar)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PendingReassemblies_AreBounded()
    {
        var reassembly = new Bpv7Reassembly { MaxPending = 4 };
        for (var i = 0; i < 10; i++)
            reassembly.Add(Bpv7Fragmentation.Fragment(RawCbor.Sample(payloadBytes: 20, creation: 850_000_000_000UL + (ulong)i), 10)[0]);
        Assert.Equal(4, reassembly.PendingCount);
    }
}
