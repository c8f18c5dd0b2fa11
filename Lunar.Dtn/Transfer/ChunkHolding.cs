using MessagePack;

namespace Lunar.Dtn.Transfer;

/// <summary>
/// The chunks of one artifact a node holds (its durable bitmap). <see cref="Restarted"/>: the node discarded what it had
/// (the assembled content did not match the signed hash) and wants every chunk again.
/// </summary>
[MessagePackObject]
public sealed record ChunkHolding(
    [property: Key(0)] byte[] Sha256,
    [property: Key(1)] byte[] Bitmap,
    [property: Key(2)] bool Restarted);
