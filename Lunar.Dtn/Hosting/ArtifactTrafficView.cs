using Lunar.Dtn.Transfer;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Per peer in GET /api/v1/sync: the artifacts in flight to it (<see cref="Outgoing"/>, with progress, rate and ETA) and from it
/// (<see cref="Incoming"/>), and what the artifact transfer has carried (whole signed bundles, in bytes).
/// </summary>
public sealed record ArtifactTrafficView(
    IReadOnlyList<OutgoingProgress> Outgoing, IReadOnlyList<IncomingProgress> Incoming,
    long ChunksSent, long ChunkBytesSent, long ChunksReceived, long ChunkBytesReceived,
    long StatusBytesSent, long StatusBytesReceived, long DuplicateChunks, long Refused, string? LastRefusal,
    long HashMismatches, long ArtifactsDelivered, long ArtifactsReceived, long Stalls)
{
    public static ArtifactTrafficView Of(ArtifactPeerTransfer t, IEnumerable<IncomingProgress> incoming)
    {
        var c = t.Counters;
        return new ArtifactTrafficView(t.Outgoing(), incoming.Where(i => i.From == t.PeerId).ToArray(),
            c.ChunksSent, c.ChunkBytesSent, c.ChunksReceived, c.ChunkBytesReceived, c.StatusBytesSent, c.StatusBytesReceived,
            c.DuplicateChunks, c.Refused, c.LastRefusal, c.HashMismatches, c.ArtifactsDelivered, c.ArtifactsReceived, c.Stalls);
    }
}
