namespace Lunar.Dtn.Replication;

/// <summary>How one replica behaves. Defaults suit an Earth–Moon link with blackouts of weeks.</summary>
public sealed record ReplicaOptions
{
    /// <summary>This replica's id, e.g. "earth", "moon", "tier1-alpha".</summary>
    public required string Id { get; init; }

    /// <summary>Direct peers. Deltas fold into the snapshot only once every one of them has acknowledged them.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>How long a bundle stays valid. Blackouts last weeks, so this is long.</summary>
    public TimeSpan BundleLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Bundles are filled with intervals up to about this many payload bytes (one larger interval goes alone).</summary>
    public int TargetBundleBytes { get; init; } = 1024 * 1024;

    /// <summary>An own interval joins at most this many deltas.</summary>
    public int MaxDeltasPerInterval { get; init; } = 200_000;

    /// <summary>Intervals held back while an earlier one is missing, at most (beyond that they are dropped and resent).</summary>
    public int MaxPendingIntervals { get; init; } = 4096;
}
