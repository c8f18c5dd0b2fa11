using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.Replication;

/// <summary>The bundles for one peer and the vector the peer will hold once it has them all.</summary>
public sealed record OutgoingBatch(IReadOnlyList<OutgoingBundle> Bundles, VersionVector Reaches, bool IsSnapshot);
