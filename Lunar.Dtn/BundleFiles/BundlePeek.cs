using System.Buffers.Binary;
using System.IO.Compression;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// Describes a sync bundle without judging it: its header and the intervals its payload lists. Used to write the
/// manifest of a file being exported and by inspect; import never trusts it (the replica checks every bundle itself).
/// </summary>
public static class BundlePeek
{
    /// <summary>The intervals a deltas bundle carries, as <c>origin/channel (from, to]</c>; empty for any other kind or an unreadable payload.</summary>
    public static IReadOnlyList<string> Intervals(ReadOnlySpan<byte> bundle)
    {
        var header = BundleCodec.PeekHeader(bundle);
        if (header is null || header.Kind != BundleKind.Deltas) return [];
        var payload = Payload(bundle, header);
        if (payload is null) return [];
        try
        {
            var deltas = Serialization.Deserialize<DeltaPayload>(payload);
            return deltas?.Intervals?.Where(i => i is not null).Select(Describe).ToArray() ?? [];
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException)
        {
            return [];
        }
    }

    public static string Describe(SignedInterval i) => $"{i.Stream} ({i.From}, {i.To}]";

    /// <summary>The payload, decompressed; null when the framing or the compression does not hold.</summary>
    private static byte[]? Payload(ReadOnlySpan<byte> bundle, BundleHeader header)
    {
        if (bundle.Length < 6) return null;
        var headerLength = BinaryPrimitives.ReadUInt16BigEndian(bundle[4..]);
        var at = 6 + headerLength;
        if (bundle.Length < at + 4) return null;
        var length = BinaryPrimitives.ReadUInt32BigEndian(bundle[at..]);
        if (length > BundleCodec.MaxPayloadLength || bundle.Length < at + 4 + (long)length) return null;
        var body = bundle.Slice(at + 4, (int)length);
        if (header.Compression == PayloadCompression.None) return body.ToArray();
        if (header.PayloadLength is < 0 or > BundleCodec.MaxPayloadLength) return null;
        var plain = new byte[header.PayloadLength];
        return BrotliDecoder.TryDecompress(body, plain, out var written) && written == plain.Length ? plain : null;
    }
}
