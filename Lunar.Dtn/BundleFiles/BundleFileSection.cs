using Lunar.Dtn.Bundles;
using MessagePack;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// The manifest's description of one section: its kind and length (so the reader can frame the file), its SHA-256,
/// for a sync bundle its kind, the deltas it brings and its intervals as <c>origin/channel (from, to]</c>; for artifact
/// content, the artifact (its sha256).
/// </summary>
[MessagePackObject]
public sealed record BundleFileSection(
    [property: Key(0)] BundleFileSectionKind Kind,
    [property: Key(1)] long Length,
    [property: Key(2)] byte[] Sha256,
    [property: Key(3)] BundleKind? BundleKind,
    [property: Key(4)] long Deltas,
    [property: Key(5)] IReadOnlyList<string> Intervals,
    [property: Key(6)] string? ArtifactId = null);
