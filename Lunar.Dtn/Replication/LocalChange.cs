using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.Replication;

/// <summary>
/// One local change: the channel it travels on and a function that builds its state fragment from the
/// new dot, the hybrid time and the current state (read-only).
/// </summary>
public sealed record LocalChange(Channel Channel, Func<ChangeContext, ReplicaState> Build);

public sealed record ChangeContext(string ReplicaId, Dot Dot, HlcTimestamp Stamp, ReplicaState Current);
