using System.Buffers.Binary;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// Frames on a stream: <c>u32 length (big-endian, of what follows) | u8 type | payload</c>. The length is
/// checked against a limit before anything is allocated, so a peer cannot make us allocate gigabytes.
/// </summary>
public static class FrameCodec
{
    /// <summary>Frames up to this size go out in one write (inside TLS: one record, not a 5-byte record and then the payload).</summary>
    private const int CoalesceBelow = 16 * 1024;

    public static async ValueTask WriteAsync(Stream stream, FrameType type, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var header = new byte[payload.Length <= CoalesceBelow ? 5 + payload.Length : 5];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(payload.Length + 1));
        header[4] = (byte)type;
        if (header.Length > 5) payload.Span.CopyTo(header.AsSpan(5));
        await stream.WriteAsync(header, ct).ConfigureAwait(false);
        if (header.Length == 5 && payload.Length > 0) await stream.WriteAsync(payload, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Reads one frame; null at a clean end of stream between frames.</summary>
    public static async ValueTask<Frame?> ReadAsync(Stream stream, int maxPayload, CancellationToken ct)
    {
        var header = new byte[5];
        var got = await ReadFullyAsync(stream, header, ct).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < header.Length) throw new LinkProtocolException("connection closed inside a frame header");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length == 0) throw new LinkProtocolException("a frame of length 0");
        if (length - 1 > (uint)maxPayload) throw new LinkProtocolException($"a frame of {length - 1} bytes exceeds the limit of {maxPayload}");
        var type = (FrameType)header[4];
        if (!Enum.IsDefined(type)) throw new LinkProtocolException($"unknown frame type {header[4]}");
        var payload = new byte[length - 1];
        if (await ReadFullyAsync(stream, payload, ct).ConfigureAwait(false) < payload.Length)
            throw new LinkProtocolException("connection closed inside a frame");
        return new Frame(type, payload);
    }

    private static async ValueTask<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
