namespace Lunar.Dtn.Bundles;

public enum BundleKind : byte
{
    /// <summary>Signed delta intervals plus the sender's version vector (which doubles as an acknowledgement).</summary>
    Deltas = 0,
    /// <summary>Only the receiver's version vector: "this is what I now hold durably".</summary>
    Ack = 1,
    /// <summary>A whole state, for a peer too far behind the sender's delta log.</summary>
    Snapshot = 2,
    /// <summary>A piece of an artifact (bulk).</summary>
    ArtifactChunk = 3,
    /// <summary>Which artifacts, and which chunks of them, the sender holds: the artifact transfer's hello and acknowledgement.</summary>
    ArtifactStatus = 4,
}
