using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Replication;

/// <summary>A sealed bundle ready for a link, with what it carries.</summary>
public sealed record OutgoingBundle(byte[] Bytes, BundleKind Kind, BundlePriority Priority, long Deltas);
