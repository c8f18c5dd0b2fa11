using System.Formats.Cbor;

namespace Lunar.Dtn.Bpv7;

/// <summary>
/// Encodes bundles as RFC 9171 §4.1 says: an indefinite-length array of blocks, each a definite-length array in
/// shortest-form CBOR, its CRC (when it has one) computed over the block with the CRC bytes zeroed.
/// </summary>
internal static class Bpv7Writer
{
    public static byte[] Encode(Bpv7Bundle bundle)
    {
        using var output = new MemoryStream();
        output.WriteByte(0x9F); // indefinite-length array
        output.Write(EncodePrimary(bundle.Primary));
        foreach (var block in bundle.Blocks) output.Write(EncodeCanonical(block));
        output.WriteByte(0xFF); // break
        return output.ToArray();
    }

    public static byte[] EncodePrimary(PrimaryBlock p)
    {
        var fragment = p.IsFragment;
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartArray(8 + (fragment ? 2 : 0) + (p.CrcType == CrcType.None ? 0 : 1));
        w.WriteUInt64(PrimaryBlock.Version);
        w.WriteUInt64((ulong)p.Flags);
        w.WriteUInt64((ulong)p.CrcType);
        WriteEndpoint(w, p.Destination);
        WriteEndpoint(w, p.Source);
        WriteEndpoint(w, p.ReportTo);
        w.WriteStartArray(2);
        w.WriteUInt64(p.Creation.Time);
        w.WriteUInt64(p.Creation.Sequence);
        w.WriteEndArray();
        w.WriteUInt64(p.Lifetime);
        if (fragment)
        {
            w.WriteUInt64(p.FragmentOffset ?? throw new InvalidOperationException("a fragment needs its offset"));
            w.WriteUInt64(p.TotalAduLength ?? throw new InvalidOperationException("a fragment needs the total ADU length"));
        }
        return WithCrc(w, p.CrcType);
    }

    public static byte[] EncodeCanonical(CanonicalBlock b)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartArray(b.CrcType == CrcType.None ? 5 : 6);
        w.WriteUInt64(b.Type);
        w.WriteUInt64(b.Number);
        w.WriteUInt64((ulong)b.Flags);
        w.WriteUInt64((ulong)b.CrcType);
        w.WriteByteString(b.Data);
        return WithCrc(w, b.CrcType);
    }

    public static void WriteEndpoint(CborWriter w, EndpointId eid)
    {
        w.WriteStartArray(2);
        w.WriteUInt64(eid.Scheme);
        if (eid.Scheme == EndpointId.IpnScheme)
        {
            w.WriteStartArray(2);
            w.WriteUInt64(eid.IpnNode);
            w.WriteUInt64(eid.IpnService);
            w.WriteEndArray();
        }
        else if (eid.DtnSsp is null) w.WriteUInt64(0);
        else w.WriteTextString(eid.DtnSsp);
        w.WriteEndArray();
    }

    /// <summary>Closes the block array, with a zeroed CRC field when it has one, and fills the CRC in.</summary>
    private static byte[] WithCrc(CborWriter w, CrcType crc)
    {
        if (crc != CrcType.None) w.WriteByteString(new byte[Bpv7Crc.LengthOf(crc)]);
        w.WriteEndArray();
        var bytes = w.Encode();
        if (crc == CrcType.None) return bytes;
        var value = Bpv7Crc.OfEncodedBlock(bytes, crc);
        value.CopyTo(bytes, bytes.Length - value.Length);
        return bytes;
    }
}
