namespace Lunar.Dtn.Replication;

/// <summary>Bundles and bytes held for one peer, indexed by priority (control, status, bulk); a snapshot when the peer is behind the fold.</summary>
public sealed record OutboxEstimate(IReadOnlyList<long> Bundles, IReadOnlyList<long> Bytes, bool IsSnapshot);
