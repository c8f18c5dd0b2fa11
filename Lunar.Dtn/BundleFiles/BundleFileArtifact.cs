using MessagePack;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// An artifact the exporter's campaigns need, as the manifest lists it. Its metadata record itself travels in the
/// control deltas; its content in a <see cref="BundleFileSectionKind.ArtifactContent"/> section when
/// <see cref="ContentIncluded"/>. <see cref="SourceHolds"/> tells the destination that the writer holds it whole, so the
/// destination's sticks back to the writer leave it out (absent in files written before it existed: false).
/// </summary>
[MessagePackObject]
public sealed record BundleFileArtifact(
    [property: Key(0)] string Id,
    [property: Key(1)] string Name,
    [property: Key(2)] string Version,
    [property: Key(3)] long SizeBytes,
    [property: Key(4)] bool ContentIncluded)
{
    [Key(5)] public bool SourceHolds { get; init; }
}
