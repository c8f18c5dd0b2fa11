namespace Lunar.Dtn.BundleFiles;

/// <summary>What one section of a bundle file holds.</summary>
public enum BundleFileSectionKind : byte
{
    /// <summary>One signed sync bundle ("LDB1"): deltas, an acknowledgement or a snapshot, addressed to the file's destination.</summary>
    SyncBundle = 0,

    /// <summary>
    /// Reserved for artifact content (the bytes of an artifact a campaign needs), the hook for the artifact store
    /// (issue 5). Format 1 writers never emit it; format 1 readers skip such a section (it is covered by the file
    /// signature and listed by inspect) and say so. Artifact METADATA travels in the sync bundles already.
    /// TODO(issue 5): define the section body (artifact id, offset, chunk bytes; verified against the signed SHA-256)
    /// and hand it to the artifact store on import.
    /// </summary>
    ArtifactContent = 1,
}
