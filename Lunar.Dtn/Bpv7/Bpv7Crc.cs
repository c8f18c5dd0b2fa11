namespace Lunar.Dtn.Bpv7;

/// <summary>
/// The two CRCs of RFC 9171 §4.2.1, written out from their catalogue parameters (both reflected):
/// CRC-16/X-25 (polynomial 0x1021, init and final xor 0xFFFF) and CRC-32C (polynomial 0x1EDC6F41,
/// init and final xor 0xFFFFFFFF). Check values for "123456789": 0x906E and 0xE3069283.
/// </summary>
public static class Bpv7Crc
{
    private static readonly ushort[] Table16 = BuildTable16();
    private static readonly uint[] Table32 = BuildTable32();

    public static ushort Crc16X25(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data) crc = (ushort)((crc >> 8) ^ Table16[(crc ^ b) & 0xFF]);
        return (ushort)(crc ^ 0xFFFF);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = (crc >> 8) ^ Table32[(crc ^ b) & 0xFF];
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>Bytes of the CRC field for <paramref name="type"/>: 0, 2 or 4.</summary>
    public static int LengthOf(CrcType type) => type switch
    {
        CrcType.None => 0,
        CrcType.Crc16 => 2,
        CrcType.Crc32C => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown CRC type"),
    };

    /// <summary>
    /// Computes the CRC of an encoded block whose last <see cref="LengthOf"/> bytes are the CRC value, as RFC 9171
    /// defines it: over the whole block with those bytes taken as zero. Returns the value big-endian, as it is sent.
    /// </summary>
    public static byte[] OfEncodedBlock(ReadOnlySpan<byte> block, CrcType type)
    {
        var n = LengthOf(type);
        var copy = block.ToArray();
        copy.AsSpan(copy.Length - n).Clear();
        var value = new byte[n];
        if (type == CrcType.Crc16) System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value, Crc16X25(copy));
        else if (type == CrcType.Crc32C) System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(value, Crc32C(copy));
        return value;
    }

    private static ushort[] BuildTable16()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var c = (ushort)i;
            for (var k = 0; k < 8; k++) c = (ushort)((c & 1) != 0 ? (c >> 1) ^ 0x8408 : c >> 1);
            table[i] = c;
        }
        return table;
    }

    private static uint[] BuildTable32()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
