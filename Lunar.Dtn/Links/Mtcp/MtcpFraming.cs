using System.Buffers.Binary;

namespace Lunar.Dtn.Links.Mtcp;

/// <summary>
/// MTCP, the minimal TCP convergence layer of µD3TN and dtn7 (draft-ietf-dtn-mtcpcl): each bundle is sent as one
/// CBOR byte string (definite length) on the stream, nothing else — no handshake, no acknowledgement.
/// </summary>
public static class MtcpFraming
{
    public static byte[] Header(int length)
    {
        var n = (ulong)length;
        if (n < 24) return [(byte)(0x40 | n)];
        if (n <= byte.MaxValue) return [0x58, (byte)n];
        var b = new byte[n <= ushort.MaxValue ? 3 : 5];
        if (b.Length == 3) { b[0] = 0x59; BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(1), (ushort)n); }
        else { b[0] = 0x5A; BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(1), (uint)n); }
        return b;
    }

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> bundle, CancellationToken ct)
    {
        await stream.WriteAsync(Header(bundle.Length), ct).ConfigureAwait(false);
        await stream.WriteAsync(bundle, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The next bundle; null at a clean end of stream. Throws <see cref="InvalidDataException"/> for anything but a byte string within <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        var first = new byte[1];
        if (await stream.ReadAtLeastAsync(first, 1, throwOnEndOfStream: false, ct).ConfigureAwait(false) == 0) return null;
        if (first[0] >> 5 != 2) throw new InvalidDataException($"MTCP frame starts with 0x{first[0]:x2}, not a CBOR byte string");
        var info = first[0] & 0x1F;
        ulong length;
        if (info < 24) length = (ulong)info;
        else if (info is >= 24 and <= 27)
        {
            var extra = new byte[1 << (info - 24)];
            await stream.ReadExactlyAsync(extra, ct).ConfigureAwait(false);
            length = extra.Length switch
            {
                1 => extra[0],
                2 => BinaryPrimitives.ReadUInt16BigEndian(extra),
                4 => BinaryPrimitives.ReadUInt32BigEndian(extra),
                _ => BinaryPrimitives.ReadUInt64BigEndian(extra),
            };
        }
        else throw new InvalidDataException("MTCP frame is an indefinite-length or reserved byte string header");
        if (length > (ulong)maxBytes) throw new InvalidDataException($"MTCP frame of {length} bytes exceeds the limit of {maxBytes}");
        var bundle = new byte[length];
        await stream.ReadExactlyAsync(bundle, ct).ConfigureAwait(false);
        return bundle;
    }
}
