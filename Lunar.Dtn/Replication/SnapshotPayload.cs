using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Replication;

/// <summary>
/// A whole state for a peer too far behind the sender's delta log. Signed as a bundle by the sender;
/// records that carry their own signatures (approvals) keep them, so the receiver still checks those itself.
/// </summary>
[MessagePackObject]
public sealed record SnapshotPayload([property: Key(0)] byte[] State, [property: Key(1)] VersionVector Covers);
