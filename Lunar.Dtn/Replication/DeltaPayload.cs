using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Replication;

/// <summary>
/// Payload of a Deltas or Ack bundle. <see cref="SenderHas"/> is what the sender holds durably, so every
/// bundle acknowledges too: a catch-up answered by a catch-up costs no extra round trip.
/// </summary>
[MessagePackObject]
public sealed record DeltaPayload([property: Key(0)] IReadOnlyList<SignedInterval> Intervals, [property: Key(1)] VersionVector SenderHas);
