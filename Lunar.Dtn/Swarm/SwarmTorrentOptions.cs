namespace Lunar.Dtn.Swarm;

/// <summary>How one torrent behaves in the swarm.</summary>
public sealed record SwarmTorrentOptions
{
    /// <summary>Our 20-byte peer id (see <see cref="PeerHandshake.NewPeerId"/>).</summary>
    public required byte[] PeerId { get; init; }

    /// <summary>Caps what this torrent (with others sharing the limiter) uploads; null: unlimited.</summary>
    public UploadLimiter? Limiter { get; init; }

    /// <summary>
    /// BEP 16 super-seeding, for the mirror: instead of a bitfield each peer is offered a few pieces at a time (those
    /// offered least so far), and another once it has one, so the fleet spreads each piece and the mirror sends each about once.
    /// </summary>
    public bool SuperSeed { get; init; }

    /// <summary>Pieces offered to a peer at a time when super-seeding.</summary>
    public int SuperSeedOffers { get; init; } = 4;

    /// <summary>Connections kept at most.</summary>
    public int MaxPeers { get; init; } = 40;

    /// <summary>Block requests outstanding per peer.</summary>
    public int PipelineDepth { get; init; } = 16;

    /// <summary>Blocks a peer may have queued with us before it counts as abusive and is closed.</summary>
    public int MaxQueuedRequests { get; init; } = 256;
}
