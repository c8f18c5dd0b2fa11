namespace Lunar.Dtn.Transfer;

/// <summary>
/// An artifact this node is sending to one peer: what the peer has acknowledged (held durably), what is in flight, the rate
/// of acknowledged bytes and the ETA. <see cref="State"/>: <c>sending</c>, <c>waiting-for-peer</c> (link up, the peer's status
/// not heard yet), <c>link-down</c> (resumes at the next contact), <c>peer-lacks-metadata</c> (offered again later).
/// </summary>
public sealed record OutgoingProgress(
    string Sha256, string Peer, string State, long BytesAcknowledged, long BytesTotal, int ChunksAcknowledged, int ChunksTotal,
    int ChunksInFlight, long ChunksSent, double? RateBytesPerSecond, double? EtaSeconds);
