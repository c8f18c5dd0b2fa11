namespace Lunar.Dtn.Bpv7;

/// <summary>The CRC a block carries (RFC 9171 §4.2.1): none, CRC-16/X-25, or CRC-32C (Castagnoli).</summary>
public enum CrcType
{
    None = 0,
    Crc16 = 1,
    Crc32C = 2,
}
