using System.Formats.Cbor;

namespace Lunar.Dtn.Bpv7;

/// <summary>
/// Parses the structure of a bundle: CBOR well-formed, every block of the right shape, every CRC correct, every
/// block in deterministic encoding (re-encoding it gives the bytes received, so a forwarded bundle is bit-identical).
/// The rules about the bundle as a whole are <see cref="Bpv7Validator"/>'s. Throws <see cref="Bpv7FormatException"/>.
/// </summary>
internal static class Bpv7Reader
{
    public static Bpv7Bundle Parse(ReadOnlyMemory<byte> input)
    {
        var r = new CborReader(input, CborConformanceMode.Lax);
        if (r.PeekState() != CborReaderState.StartArray) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedCbor, $"a bundle is a CBOR array; this starts with {Describe(r.PeekState())}");
        if (r.ReadStartArray() is { } definite)
            throw new Bpv7FormatException(Bpv7RejectionCode.NotDeterministic, $"the bundle is a definite-length array of {definite}; RFC 9171 §4.1 wants an indefinite-length array");
        if (r.PeekState() == CborReaderState.EndArray) throw new Bpv7FormatException(Bpv7RejectionCode.MissingPayload, "the bundle has no blocks at all");
        var start = Offset(input, r);
        var primary = ReadPrimary(r);
        Check(input.Span[start..Offset(input, r)], Bpv7Writer.EncodePrimary(primary), "primary block", primary.CrcType);
        var blocks = new List<CanonicalBlock>();
        while (r.PeekState() != CborReaderState.EndArray)
        {
            start = Offset(input, r);
            var block = ReadCanonical(r, blocks.Count + 1);
            Check(input.Span[start..Offset(input, r)], Bpv7Writer.EncodeCanonical(block), $"block {block.Number} ({BlockTypes.NameOf(block.Type)})", block.CrcType);
            blocks.Add(block);
        }
        r.ReadEndArray();
        if (r.BytesRemaining != 0) throw new Bpv7FormatException(Bpv7RejectionCode.TrailingBytes, $"{r.BytesRemaining} bytes follow the end of the bundle");
        return new Bpv7Bundle(primary, blocks);
    }

    /// <summary>One primary block on its own (its exact bytes and CRC checked), for the per-block test vectors.</summary>
    public static PrimaryBlock PrimaryOnly(ReadOnlyMemory<byte> input) => Alone(input, r => ReadPrimary(r), Bpv7Writer.EncodePrimary, b => b.CrcType, "primary block");

    /// <summary>One canonical block on its own.</summary>
    public static CanonicalBlock CanonicalOnly(ReadOnlyMemory<byte> input) => Alone(input, r => ReadCanonical(r, 1), Bpv7Writer.EncodeCanonical, b => b.CrcType, "block");

    private static T Alone<T>(ReadOnlyMemory<byte> input, Func<CborReader, T> read, Func<T, byte[]> encode, Func<T, CrcType> crc, string what)
    {
        var r = new CborReader(input, CborConformanceMode.Lax);
        var block = read(r);
        if (r.BytesRemaining != 0) throw new Bpv7FormatException(Bpv7RejectionCode.TrailingBytes, $"{r.BytesRemaining} bytes follow the {what}");
        Check(input.Span, encode(block), what, crc(block));
        return block;
    }

    private static int Offset(ReadOnlyMemory<byte> input, CborReader r) => input.Length - r.BytesRemaining;

    /// <summary>
    /// The CRC of the bytes received must match; and the block, encoded again from what was read, must be the very
    /// bytes received — otherwise a relay could not forward it unchanged (and its CRC would no longer match).
    /// </summary>
    private static void Check(ReadOnlySpan<byte> received, byte[] reencoded, string what, CrcType crc)
    {
        if (crc != CrcType.None)
        {
            var n = Bpv7Crc.LengthOf(crc);
            var expected = Bpv7Crc.OfEncodedBlock(received, crc);
            if (!received[^n..].SequenceEqual(expected))
                throw new Bpv7FormatException(Bpv7RejectionCode.BadCrc,
                    $"{what}: {(crc == CrcType.Crc16 ? "CRC-16" : "CRC-32C")} is {Convert.ToHexStringLower(received[^n..])}, the block's bytes give {Convert.ToHexStringLower(expected)}");
        }
        if (!received.SequenceEqual(reencoded))
            throw new Bpv7FormatException(Bpv7RejectionCode.NotDeterministic, $"{what} is not in deterministic CBOR (an integer or length not in its shortest form, or an indefinite-length item)");
    }

    private static PrimaryBlock ReadPrimary(CborReader r)
    {
        var n = r.ReadStartArray() ?? throw new Bpv7FormatException(Bpv7RejectionCode.NotDeterministic, "the primary block is an indefinite-length array");
        if (n < 8 || n > 11) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedBlock, $"the primary block has {n} fields; RFC 9171 §4.3.1 allows 8 to 11");
        var version = UInt(r, "primary block version");
        if (version != PrimaryBlock.Version) throw new Bpv7FormatException(Bpv7RejectionCode.UnsupportedVersion, $"bundle protocol version {version}; only version 7 is supported");
        var flags = (BundleFlags)UInt(r, "bundle processing flags");
        var crc = Crc(UInt(r, "primary block CRC type"), "primary block");
        var fragment = (flags & BundleFlags.IsFragment) != 0;
        var expected = 8 + (fragment ? 2 : 0) + (crc == CrcType.None ? 0 : 1);
        if (n != expected)
            throw new Bpv7FormatException(fragment != (n - (crc == CrcType.None ? 0 : 1) == 10) ? Bpv7RejectionCode.BadFragment : Bpv7RejectionCode.MalformedBlock,
                $"the primary block has {n} fields; with {(fragment ? "the fragment flag" : "no fragment flag")} and CRC type {(int)crc} it must have {expected}");
        var destination = Endpoint(r, "destination");
        var source = Endpoint(r, "source");
        var reportTo = Endpoint(r, "report-to");
        StartArray(r, 2, "creation timestamp");
        var creation = new CreationTimestamp(UInt(r, "creation time"), UInt(r, "creation sequence number"));
        r.ReadEndArray();
        var lifetime = UInt(r, "lifetime");
        ulong? offset = null, total = null;
        if (fragment)
        {
            offset = UInt(r, "fragment offset");
            total = UInt(r, "total application data unit length");
        }
        if (crc != CrcType.None) CrcValue(r, crc, "primary block");
        r.ReadEndArray();
        return new PrimaryBlock(flags, crc, destination, source, reportTo, creation, lifetime, offset, total);
    }

    private static CanonicalBlock ReadCanonical(CborReader r, int index)
    {
        if (r.PeekState() != CborReaderState.StartArray) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedBlock, $"block #{index} after the primary is {Describe(r.PeekState())}, not an array");
        var n = r.ReadStartArray() ?? throw new Bpv7FormatException(Bpv7RejectionCode.NotDeterministic, $"block #{index} after the primary is an indefinite-length array");
        if (n is not (5 or 6)) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedBlock, $"block #{index} after the primary has {n} fields; a canonical block has 5, or 6 with a CRC");
        var type = UInt(r, $"block #{index} type");
        var number = UInt(r, $"block #{index} number");
        var flags = (BlockFlags)UInt(r, $"block {number} processing flags");
        var crc = Crc(UInt(r, $"block {number} CRC type"), $"block {number}");
        if (n != (crc == CrcType.None ? 5 : 6))
            throw new Bpv7FormatException(Bpv7RejectionCode.MalformedBlock, $"block {number} has {n} fields but CRC type {(int)crc}");
        if (r.PeekState() != CborReaderState.ByteString) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedCbor, $"block {number} data is {Describe(r.PeekState())}, not a byte string");
        var data = r.ReadByteString();
        if (crc != CrcType.None) CrcValue(r, crc, $"block {number}");
        r.ReadEndArray();
        return new CanonicalBlock(type, number, flags, crc, data);
    }

    private static CrcType Crc(ulong value, string what) => value <= 2
        ? (CrcType)value
        : throw new Bpv7FormatException(Bpv7RejectionCode.UnknownCrcType, $"{what} has CRC type {value}; RFC 9171 defines 0 (none), 1 (CRC-16) and 2 (CRC-32C)");

    private static void CrcValue(CborReader r, CrcType crc, string what)
    {
        if (r.PeekState() != CborReaderState.ByteString) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedCbor, $"{what} CRC is {Describe(r.PeekState())}, not a byte string");
        var value = r.ReadByteString();
        if (value.Length != Bpv7Crc.LengthOf(crc))
            throw new Bpv7FormatException(Bpv7RejectionCode.MalformedBlock, $"{what} CRC field has {value.Length} bytes; CRC type {(int)crc} has {Bpv7Crc.LengthOf(crc)}");
    }

    public static EndpointId Endpoint(CborReader r, string what)
    {
        StartArray(r, 2, what);
        var scheme = UInt(r, $"{what} scheme");
        EndpointId eid;
        switch (scheme)
        {
            case EndpointId.DtnScheme when r.PeekState() == CborReaderState.UnsignedInteger:
                var zero = r.ReadUInt64();
                if (zero != 0) throw new Bpv7FormatException(Bpv7RejectionCode.BadEndpoint, $"{what}: dtn scheme-specific part {zero}; only 0 (dtn:none) may be a number");
                eid = EndpointId.None;
                break;
            case EndpointId.DtnScheme when r.PeekState() == CborReaderState.TextString:
                var ssp = r.ReadTextString();
                if (!EndpointId.IsValidDtnSsp(ssp)) throw new Bpv7FormatException(Bpv7RejectionCode.BadEndpoint, $"{what}: 'dtn:{Printable(ssp)}' is not dtn://node-name[/demux]");
                eid = EndpointId.Dtn(ssp);
                break;
            case EndpointId.DtnScheme:
                throw new Bpv7FormatException(Bpv7RejectionCode.BadEndpoint, $"{what}: a dtn scheme-specific part is text or 0, not {Describe(r.PeekState())}");
            case EndpointId.IpnScheme:
                StartArray(r, 2, $"{what} ipn number pair");
                eid = EndpointId.Ipn(UInt(r, $"{what} ipn node number"), UInt(r, $"{what} ipn service number"));
                r.ReadEndArray();
                break;
            default:
                throw new Bpv7FormatException(Bpv7RejectionCode.BadEndpoint, $"{what}: URI scheme code {scheme} is neither dtn (1) nor ipn (2)");
        }
        r.ReadEndArray();
        return eid;
    }

    public static ulong UInt(CborReader r, string what)
    {
        var state = r.PeekState();
        if (state != CborReaderState.UnsignedInteger) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedCbor, $"{what} is {Describe(state)}, not an unsigned integer");
        return r.ReadUInt64();
    }

    public static void StartArray(CborReader r, int length, string what)
    {
        var state = r.PeekState();
        if (state != CborReaderState.StartArray) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedCbor, $"{what} is {Describe(state)}, not an array");
        var n = r.ReadStartArray();
        if (n != length) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedBlock, $"{what} is an array of {(n is null ? "indefinite length" : n.ToString())}, not of {length}");
    }

    private static string Describe(CborReaderState state) => state switch
    {
        CborReaderState.Finished => "the end of the input",
        CborReaderState.UnsignedInteger => "an unsigned integer",
        CborReaderState.NegativeInteger => "a negative integer",
        CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString => "a byte string",
        CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString => "a text string",
        CborReaderState.StartArray => "an array",
        CborReaderState.StartMap => "a map",
        CborReaderState.EndArray => "the end of an array",
        CborReaderState.Tag => "a tag",
        _ => "a " + state.ToString().ToLowerInvariant(),
    };

    private static string Printable(string s) => new(s.Take(64).Select(c => c is >= ' ' and < (char)0x7F ? c : '?').ToArray());
}
