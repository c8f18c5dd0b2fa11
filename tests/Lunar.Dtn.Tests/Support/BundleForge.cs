using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Tests.Support;

/// <summary>Builds hostile or hand-made bundles: custom payloads sealed by any key, and byte-level surgery.</summary>
public static class BundleForge
{
    private static long _sequence = 9_000_000;

    /// <summary>Seals <paramref name="payload"/> as a bundle from <paramref name="signer"/> (whose id becomes the source).</summary>
    public static byte[] Seal(NodeKey signer, string destination, BundleKind kind, byte[] payload, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        var header = new BundleHeader(BundleHeader.CurrentFormat, signer.Id, Interlocked.Increment(ref _sequence), destination,
            HlcTimestamp.From(now.ToUnixTimeMilliseconds(), 0).Value, (now + (lifetime ?? TimeSpan.FromDays(30))).ToUnixTimeMilliseconds(),
            kind, BundlePriority.Control, PayloadCompression.None, 0);
        return BundleCodec.Seal(header, payload, signer);
    }

    /// <summary>A Deltas bundle carrying <paramref name="intervals"/>, sealed by <paramref name="signer"/>.</summary>
    public static byte[] Deltas(NodeKey signer, string destination, IReadOnlyList<SignedInterval> intervals, VersionVector senderHas, DateTimeOffset now) =>
        Seal(signer, destination, BundleKind.Deltas, Serialization.Serialize(new DeltaPayload(intervals, senderHas)), now);

    /// <summary>Where the header and the payload lie inside a sealed bundle.</summary>
    public static (int HeaderAt, int HeaderLength, int PayloadAt, int PayloadLength) Layout(ReadOnlySpan<byte> bundle)
    {
        var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bundle[4..]);
        var payloadLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bundle[(6 + headerLength)..]);
        return (6, headerLength, 6 + headerLength + 4, payloadLength);
    }

    public static byte[] Flip(byte[] bundle, int at, byte mask = 0x01)
    {
        var copy = (byte[])bundle.Clone();
        copy[at] ^= mask;
        return copy;
    }

    /// <summary>The signed intervals inside a Deltas bundle (opened for <paramref name="self"/>).</summary>
    public static IReadOnlyList<SignedInterval> IntervalsOf(byte[] bundle, TrustStore trust, string self, DateTimeOffset now)
    {
        var opened = BundleCodec.Open(bundle, trust, self, now);
        if (!opened.Ok) throw new InvalidOperationException($"bundle does not open: {opened.Rejection}");
        if (opened.Bundle!.Header.Kind != BundleKind.Deltas) return [];
        return Serialization.Deserialize<DeltaPayload>(opened.Bundle.Payload).Intervals;
    }
}
