namespace Lunar.Dtn.Transfer;

/// <summary>An artifact this node is receiving: how much it holds durably, how fast it arrives, when it should be whole.</summary>
public sealed record IncomingProgress(
    string Sha256, string? From, long BytesHeld, long BytesTotal, int ChunksHeld, int ChunksTotal,
    double? RateBytesPerSecond, double? EtaSeconds, DateTimeOffset? LastChunkAt);
