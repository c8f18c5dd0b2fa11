using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// The self-description of a bundle file: made by <see cref="Source"/> for <see cref="Destination"/> (a node id, or
/// "*" for any node), when (wall clock and the source's hybrid clock), what the source held (<see cref="SourceHas"/>,
/// which also acknowledges to the destination), what the export assumed the destination held (<see cref="Since"/>),
/// the sections in file order, and the artifacts the campaigns need.
/// </summary>
[MessagePackObject]
public sealed record BundleFileManifest(
    [property: Key(0)] string Source,
    [property: Key(1)] string Destination,
    [property: Key(2)] long CreatedAtMs,
    [property: Key(3)] long CreatedHlc,
    [property: Key(4)] VersionVector SourceHas,
    [property: Key(5)] VersionVector Since,
    [property: Key(6)] IReadOnlyList<BundleFileSection> Sections,
    [property: Key(7)] IReadOnlyList<BundleFileArtifact> Artifacts)
{
    [IgnoreMember] public long Deltas => Sections.Sum(s => s.Deltas);
}
