namespace Lunar.Dtn.Transfer;

/// <summary>What the artifact transfer with one peer has carried, for the sync view and the dashboard. Bytes are whole signed bundles.</summary>
public sealed class TransferCounters
{
    public long ChunksSent { get; internal set; }
    public long ChunkBytesSent { get; internal set; }
    public long ChunksReceived { get; internal set; }
    public long ChunkBytesReceived { get; internal set; }
    public long StatusBundlesSent { get; internal set; }
    public long StatusBytesSent { get; internal set; }
    public long StatusBytesReceived { get; internal set; }
    /// <summary>Chunks received that this node already held (sent twice: after a stall, or by a second sender).</summary>
    public long DuplicateChunks { get; internal set; }
    /// <summary>Bundles refused: bad signature, unknown artifact, wrong offset or length, malformed.</summary>
    public long Refused { get; internal set; }
    public string? LastRefusal { get; internal set; }
    /// <summary>Artifacts whose assembled content did not match the signed SHA-256: discarded and fetched again.</summary>
    public long HashMismatches { get; internal set; }
    /// <summary>Artifacts the peer now holds whole, sent by this node.</summary>
    public long ArtifactsDelivered { get; internal set; }
    /// <summary>Artifacts received whole from the peer and moved into this node's verified store.</summary>
    public long ArtifactsReceived { get; internal set; }
    /// <summary>Times no acknowledgement came for too long with chunks in flight, and the full status was asked for again.</summary>
    public long Stalls { get; internal set; }

    internal void Refuse(string reason)
    {
        Refused++;
        LastRefusal = reason;
    }
}
