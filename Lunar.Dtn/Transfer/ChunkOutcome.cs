namespace Lunar.Dtn.Transfer;

/// <summary>The result of one received chunk, with the artifact it named (when it named one) and why, when refused.</summary>
public sealed record ChunkOutcome(ChunkResult Result, string? Sha256, int Index, string? Reason = null);
