namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>
/// The lunar LAN as the piece-level swarm sees it. Each node's bandwidth is split into fixed slots: a piece travels at the
/// smaller of its source's and its destination's slot rate, so no node ever sends or receives above its cap.
/// </summary>
public sealed record SwarmSettings
{
    public required long ArtifactBytes { get; init; }

    public required int PieceBytes { get; init; }

    /// <summary>The mirror's (Moon node's) upload cap, Mbit/s.</summary>
    public required double MirrorUploadMbps { get; init; }

    /// <summary>Each agent's LAN (download) bandwidth, Mbit/s.</summary>
    public required double AgentDownloadMbps { get; init; }

    /// <summary>Each agent's upload cap, Mbit/s.</summary>
    public required double AgentUploadMbps { get; init; }

    /// <summary>Pieces an agent fetches at once (from different sources when it can).</summary>
    public int DownloadSlots { get; init; } = 8;

    /// <summary>Pieces an agent serves at once.</summary>
    public int UploadSlots { get; init; } = 4;

    /// <summary>Pieces the mirror serves at once.</summary>
    public int MirrorSlots { get; init; } = 16;

    public int Pieces => (int)((ArtifactBytes + PieceBytes - 1) / PieceBytes);

    public int PieceLength(int piece) => (int)Math.Min(PieceBytes, ArtifactBytes - (long)piece * PieceBytes);
}
