using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Replication;

/// <summary>One local change: its dot, its hybrid time, and the state fragment it joins into the replica.</summary>
[MessagePackObject]
public sealed record Delta([property: Key(0)] Dot Dot, [property: Key(1)] HlcTimestamp Stamp, [property: Key(2)] ReplicaState Fragment);
