using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>What one run of the swarm benchmark measured: where the agents' artifact bytes came from, and how long it took.</summary>
public sealed record SwarmBenchReport
{
    public required int Agents { get; init; }
    public required long ArtifactBytes { get; init; }
    public required double MirrorUploadMbps { get; init; }
    public required bool Completed { get; init; }
    /// <summary>From the campaign's start until the node saw it completed (every agent verified, applied, reported).</summary>
    public required double CampaignSeconds { get; init; }
    /// <summary>What the mirror's BitTorrent seeder uploaded (its own counter).</summary>
    public required long MirrorSeederBytes { get; init; }
    /// <summary>What the agents fetched from the mirror's HTTP content endpoint (fallback; their counters).</summary>
    public required long MirrorHttpBytes { get; init; }
    /// <summary>What the agents received from each other (their counters).</summary>
    public required long PeerBytes { get; init; }
    public long MirrorEgressBytes => MirrorSeederBytes + MirrorHttpBytes;
    public double MirrorCopies => Math.Round((double)MirrorEgressBytes / ArtifactBytes, 3);
    public double PeerShare => Math.Round((double)PeerBytes / Math.Max(1, PeerBytes + MirrorEgressBytes), 4);

    public string ToText()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"bench swarm: {Agents} agents, {ArtifactBytes:N0}-byte artifact, mirror upload cap {(MirrorUploadMbps > 0 ? $"{MirrorUploadMbps} Mbit/s" : "none")}");
        s.AppendLine(CultureInfo.InvariantCulture, $"  completed:        {Completed} in {CampaignSeconds:0.0} s (campaign start to completed)");
        s.AppendLine(CultureInfo.InvariantCulture, $"  mirror egress:    {MirrorEgressBytes:N0} bytes = {MirrorCopies:0.000} full copies (seeder {MirrorSeederBytes:N0}, HTTP fallback {MirrorHttpBytes:N0}); target ≤ 1.2");
        s.AppendLine(CultureInfo.InvariantCulture, $"  from peers:       {PeerBytes:N0} bytes = {PeerShare:P2} of what the agents received");
        return s.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        agents = Agents, artifactBytes = ArtifactBytes, mirrorUploadMbps = MirrorUploadMbps, completed = Completed, campaignSeconds = CampaignSeconds,
        mirrorSeederBytes = MirrorSeederBytes, mirrorHttpBytes = MirrorHttpBytes, mirrorEgressBytes = MirrorEgressBytes, mirrorCopies = MirrorCopies,
        peerBytes = PeerBytes, peerShare = PeerShare,
    }, new JsonSerializerOptions { WriteIndented = true });
}
