namespace Lunar.Dtn.Bpv7;

/// <summary>
/// A canonical block (RFC 9171 §4.3.2): type, number (unique in the bundle; the payload's is 1), processing flags,
/// CRC type and the block-type-specific data as received. Extension block data is parsed on demand by
/// <see cref="ExtensionBlocks"/>, so a block is always re-encoded exactly as it came.
/// </summary>
public sealed record CanonicalBlock(ulong Type, ulong Number, BlockFlags Flags, CrcType CrcType, byte[] Data)
{
    public bool IsPayload => Type == BlockTypes.Payload;
}
