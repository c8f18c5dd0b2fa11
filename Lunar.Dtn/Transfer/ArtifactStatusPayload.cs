using MessagePack;

namespace Lunar.Dtn.Transfer;

/// <summary>
/// The payload of an <see cref="Bundles.BundleKind.ArtifactStatus"/> bundle. Sent by each side when a link comes up with
/// <see cref="Full"/> set (every artifact held whole, every partial bitmap: the peer learns exactly what not to send,
/// even after either side restarted), and after received chunks as an acknowledgement (only what changed).
/// </summary>
/// <param name="Full">True: this lists everything; what is not listed is not held.</param>
/// <param name="Held">Artifacts held whole and verified (32-byte hashes).</param>
/// <param name="Partial">Artifacts being received, with their bitmaps.</param>
/// <param name="Unknown">Chunks arrived for artifacts whose metadata this node does not have (yet): send them later.</param>
/// <param name="WantsReply">The sender asks for a full status back (it saw no progress for too long).</param>
[MessagePackObject]
public sealed record ArtifactStatusPayload(
    [property: Key(0)] bool Full,
    [property: Key(1)] List<byte[]> Held,
    [property: Key(2)] List<ChunkHolding> Partial,
    [property: Key(3)] List<byte[]> Unknown,
    [property: Key(4)] bool WantsReply);
