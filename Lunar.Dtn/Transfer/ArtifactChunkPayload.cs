using MessagePack;

namespace Lunar.Dtn.Transfer;

/// <summary>
/// The payload of an <see cref="Bundles.BundleKind.ArtifactChunk"/> bundle: chunk <see cref="Index"/> of the artifact
/// whose SHA-256 is <see cref="Sha256"/> (32 raw bytes, not hex: 32 bytes saved per chunk). <see cref="Offset"/> is
/// redundant with the index on purpose: a receiver refuses a chunk whose offset or length is not where the index puts it.
/// </summary>
[MessagePackObject]
public sealed record ArtifactChunkPayload(
    [property: Key(0)] byte[] Sha256,
    [property: Key(1)] int Index,
    [property: Key(2)] long Offset,
    [property: Key(3)] byte[] Data);
