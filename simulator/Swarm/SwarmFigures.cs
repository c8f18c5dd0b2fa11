namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>What the lunar swarm moved: bytes by source and download times.</summary>
/// <param name="MirrorSuperSeedBytes">Pieces the mirror's super-seeder sent (each piece no agent held yet).</param>
/// <param name="MirrorFallbackBytes">Pieces an agent fetched from the mirror's HTTP fallback because no peer could give it anything.</param>
/// <param name="PeerBytes">Pieces agents sent each other.</param>
/// <param name="PeerSameSiteBytes">Of <paramref name="PeerBytes"/>, those between agents of one site.</param>
/// <param name="Downloads">Downloads finished (an agent that already held the artifact counts, with no bytes).</param>
public sealed record SwarmFigures(
    long MirrorSuperSeedBytes, long MirrorFallbackBytes, long PeerBytes, long PeerSameSiteBytes, int Downloads,
    double MeanDownloadSeconds, double MaxDownloadSeconds, double MaxWaitForMirrorSeconds, int Pieces, int PieceBytes)
{
    public long MirrorEgressBytes => MirrorSuperSeedBytes + MirrorFallbackBytes;

    public long DeliveredBytes => MirrorEgressBytes + PeerBytes;
}
