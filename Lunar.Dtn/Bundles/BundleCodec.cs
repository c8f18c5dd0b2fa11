using System.Buffers.Binary;
using System.IO.Compression;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Bundles;

/// <summary>
/// The sync bundle on the wire:
/// <c>"LDB1" | u16 header length | header (MessagePack) | u32 payload length | payload | Ed25519 signature (64)</c>.
/// The signature covers every byte before it. <see cref="Open"/> checks framing, signer, signature,
/// destination and expiry before it decompresses, and never parses the payload itself.
/// </summary>
public static class BundleCodec
{
    public const int SignatureLength = 64;
    public const int MaxHeaderLength = 1024;
    /// <summary>Largest payload accepted, compressed or not (a guard against decompression bombs too).</summary>
    public const int MaxPayloadLength = 64 * 1024 * 1024;
    private static ReadOnlySpan<byte> Magic => "LDB1"u8;
    private const int CompressWhenLargerThan = 256;

    public static byte[] Seal(BundleHeader header, ReadOnlySpan<byte> payload, NodeKey signer)
    {
        if (header.Source != signer.Id) throw new ArgumentException("a bundle is signed by its source", nameof(signer));
        var body = payload;
        byte[]? compressed = null;
        if (payload.Length > CompressWhenLargerThan)
        {
            compressed = Compress(payload);
            if (compressed.Length < payload.Length * 9 / 10) body = compressed;
            else compressed = null;
        }
        var finalHeader = header with
        {
            Compression = compressed is null ? PayloadCompression.None : PayloadCompression.Brotli,
            PayloadLength = payload.Length,
        };
        var headerBytes = Serialization.Serialize(finalHeader);
        if (headerBytes.Length > MaxHeaderLength) throw new ArgumentException("bundle header too large", nameof(header));

        var total = Magic.Length + 2 + headerBytes.Length + 4 + body.Length + SignatureLength;
        var buffer = new byte[total];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)headerBytes.Length);
        headerBytes.CopyTo(span[6..]);
        var at = 6 + headerBytes.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)body.Length);
        body.CopyTo(span[(at + 4)..]);
        var signed = span[..(total - SignatureLength)];
        signer.Sign(signed).CopyTo(span[(total - SignatureLength)..]);
        return buffer;
    }

    /// <summary>Reads just the header, without any check (for inspection and routing of already-verified bundles).</summary>
    public static BundleHeader? PeekHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6 || !bytes[..4].SequenceEqual(Magic)) return null;
        var len = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (len > MaxHeaderLength || bytes.Length < 6 + len) return null;
        try { return Serialization.Deserialize<BundleHeader>(bytes.Slice(6, len).ToArray()); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException) { return null; }
    }

    public static BundleOpenResult Open(ReadOnlySpan<byte> bytes, TrustStore trust, string self, DateTimeOffset now)
    {
        if (bytes.Length < 6 + 4 + SignatureLength)
            return Reject(RejectionCode.Truncated, $"{bytes.Length} bytes is shorter than the smallest possible bundle");
        if (!bytes[..4].SequenceEqual(Magic))
            return Reject(RejectionCode.BadMagic, "not a Lunar.Dtn bundle (the first four bytes are not 'LDB1')");
        var headerLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (headerLength > MaxHeaderLength)
            return Reject(RejectionCode.MalformedHeader, $"header length {headerLength} exceeds the limit of {MaxHeaderLength}");
        if (bytes.Length < 6 + headerLength + 4 + SignatureLength)
            return Reject(RejectionCode.Truncated, $"bundle ends inside its header ({bytes.Length} bytes)");
        var payloadAt = 6 + headerLength + 4;
        var payloadLength = BinaryPrimitives.ReadUInt32BigEndian(bytes[(6 + headerLength)..]);
        if (payloadLength > MaxPayloadLength)
            return Reject(RejectionCode.PayloadTooLarge, $"payload of {payloadLength} bytes exceeds the limit of {MaxPayloadLength}");
        var expected = (long)payloadAt + payloadLength + SignatureLength;
        if (bytes.Length < expected)
            return Reject(RejectionCode.Truncated, $"bundle is truncated: {bytes.Length} of {expected} bytes");
        if (bytes.Length > expected)
            return Reject(RejectionCode.MalformedHeader, $"{bytes.Length - expected} stray bytes after the signature");

        BundleHeader header;
        try { header = Serialization.Deserialize<BundleHeader>(bytes.Slice(6, headerLength).ToArray()); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException)
        {
            return Reject(RejectionCode.MalformedHeader, "the header is not valid MessagePack");
        }
        if (header is null || header.Source is null || header.Destination is null)
            return Reject(RejectionCode.MalformedHeader, "the header lacks its source or destination");
        if (header.FormatVersion != BundleHeader.CurrentFormat)
            return Reject(RejectionCode.UnsupportedVersion, $"bundle format {header.FormatVersion}; this node reads format {BundleHeader.CurrentFormat}");

        var key = trust.NodeKey(header.Source);
        if (!key.Ok)
            return Reject(key.Problem!.Contains("revoked", StringComparison.Ordinal) ? RejectionCode.RevokedSigner : RejectionCode.UnknownSigner,
                $"bundle {header.Id}: {key.Problem}");
        var signedLength = payloadAt + (int)payloadLength;
        if (!NodeKey.Verify(key.PublicKey, bytes[..signedLength], bytes.Slice(signedLength, SignatureLength)))
            return Reject(RejectionCode.BadSignature, $"bundle {header.Id}: the signature does not match {header.Source}'s key (altered in transit or forged)");

        if (header.Destination != self && header.Destination != BundleHeader.Broadcast)
            return Reject(RejectionCode.WrongDestination, $"bundle {header.Id} is addressed to '{header.Destination}', not to this node '{self}'");
        if (header.ExpiresAtMs <= now.ToUnixTimeMilliseconds())
            return Reject(RejectionCode.Expired, $"bundle {header.Id} expired at {DateTimeOffset.FromUnixTimeMilliseconds(header.ExpiresAtMs):O}");
        if (header.PayloadLength < 0 || header.PayloadLength > MaxPayloadLength)
            return Reject(RejectionCode.PayloadTooLarge, $"bundle {header.Id} declares {header.PayloadLength} bytes uncompressed");

        var body = bytes.Slice(payloadAt, (int)payloadLength);
        if (header.Compression == PayloadCompression.None)
            return new BundleOpenResult(new OpenedBundle(header, body.ToArray(), bytes.Length), null);
        if (header.Compression != PayloadCompression.Brotli)
            return Reject(RejectionCode.MalformedPayload, $"bundle {header.Id}: unknown compression {(byte)header.Compression}");
        var plain = new byte[header.PayloadLength];
        if (!BrotliDecoder.TryDecompress(body, plain, out var written) || written != header.PayloadLength)
            return Reject(RejectionCode.MalformedPayload, $"bundle {header.Id}: the compressed payload does not decompress to its declared {header.PayloadLength} bytes");
        return new BundleOpenResult(new OpenedBundle(header, plain, bytes.Length), null);
    }

    private static byte[] Compress(ReadOnlySpan<byte> payload)
    {
        // Quality 5 at every size: ~2.2x on status records at ~50 MB/s (see stack.md). Measured on the
        // 5,000-server catch-up (240 KB of MessagePack): q5 gives 18.4 KB in ~2 ms, q9 18.7 KB in ~300 ms
        // (bigger and 150x slower); only q10/q11 are smaller (16.8/15.3 KB) at 100-300x the time.
        const int quality = 5;
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(payload.Length)];
        if (!BrotliEncoder.TryCompress(payload, output, out var written, quality, window: 22))
            throw new InvalidOperationException("Brotli compression failed");
        return output.AsSpan(0, written).ToArray();
    }

    private static BundleOpenResult Reject(RejectionCode code, string reason) => new(null, new BundleRejection(code, reason));
}

public readonly record struct BundleOpenResult(OpenedBundle? Bundle, BundleRejection? Rejection)
{
    public bool Ok => Bundle is not null;
}
