using MessagePack;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// An artifact the exporter's campaigns need, as the manifest lists it. Its metadata record itself travels in the
/// control deltas; <see cref="ContentIncluded"/> is false in format 1 writers (content comes with issue 5, see
/// <see cref="BundleFileSectionKind.ArtifactContent"/>).
/// </summary>
[MessagePackObject]
public sealed record BundleFileArtifact(
    [property: Key(0)] string Id,
    [property: Key(1)] string Name,
    [property: Key(2)] string Version,
    [property: Key(3)] long SizeBytes,
    [property: Key(4)] bool ContentIncluded);
