namespace Lunar.Dtn.BundleFiles;

/// <summary>What one section of a bundle file holds.</summary>
public enum BundleFileSectionKind : byte
{
    /// <summary>One signed sync bundle ("LDB1"): deltas, an acknowledgement or a snapshot, addressed to the file's destination.</summary>
    SyncBundle = 0,

    /// <summary>
    /// The whole content of one artifact a campaign needs (the section's ArtifactId names it). On import it must hash to
    /// the SHA-256 and have the size of the artifact's signed metadata record (held already or brought by the same file),
    /// or the whole file is refused; it then goes into the node's artifact store (its mirror for its own agents).
    /// </summary>
    ArtifactContent = 1,
}
