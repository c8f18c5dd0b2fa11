using MessagePack;

namespace Lunar.Dtn.Bundles;

/// <summary>
/// The signed header of a sync bundle. Parsed before the signature is checked (it names the signer),
/// so it is small, bounded and holds nothing the receiver acts on until the signature holds.
/// </summary>
[MessagePackObject]
public sealed record BundleHeader(
    [property: Key(0)] byte FormatVersion,
    [property: Key(1)] string Source,
    [property: Key(2)] long Sequence,
    [property: Key(3)] string Destination,
    [property: Key(4)] long CreatedHlc,
    [property: Key(5)] long ExpiresAtMs,
    [property: Key(6)] BundleKind Kind,
    [property: Key(7)] BundlePriority Priority,
    [property: Key(8)] PayloadCompression Compression,
    [property: Key(9)] int PayloadLength)
{
    public const byte CurrentFormat = 1;
    public const string Broadcast = "*";

    [IgnoreMember] public string Id => $"{Source}#{Sequence}";
}
