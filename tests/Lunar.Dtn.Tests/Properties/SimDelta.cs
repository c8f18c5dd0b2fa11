using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>One delta written during a simulation: its dot, what it wrote and the fragment it carries.</summary>
public sealed record SimDelta(Dot Dot, SimOpKind Kind, string Key, HlcTimestamp Stamp, ReplicaState Fragment);
