namespace Lunar.Dtn.Transfer;

/// <summary>What became of one received chunk.</summary>
public enum ChunkResult
{
    /// <summary>Written and flushed; acknowledge it.</summary>
    Stored,
    /// <summary>The last chunk: the whole artifact matched its signed SHA-256 and is now in the verified store.</summary>
    Completed,
    /// <summary>This chunk (or the whole artifact) was already held; nothing written.</summary>
    Duplicate,
    /// <summary>No metadata for this artifact here (yet); nothing written.</summary>
    UnknownArtifact,
    /// <summary>Refused: wrong offset or length, index out of range, malformed; nothing written.</summary>
    Refused,
    /// <summary>Every chunk arrived but the assembled content did not match the signed hash: discarded, to be fetched again.</summary>
    Discarded,
}
