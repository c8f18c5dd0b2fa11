using Lunar.Dtn.Simulator.Swarm;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// The artifact in a run: its crossing of the Earth link as real chunk bundles (bytes on the wire Earth → Moon, and the
/// transfer's status bundles each way), when the Moon came to hold it verified, and what the lunar swarm moved.
/// </summary>
public sealed record ArtifactFigures(
    string Sha256, long ArtifactBytes, long EarthChunkBytes, long EarthStatusBytes, long MoonStatusBytes,
    double? MirrorHoldsHours, SwarmFigures Swarm, ArtifactCrossing Crossing)
{
    /// <summary>Earth-link chunk bytes per artifact byte: 1 plus the chunk bundles' framing and signatures, plus anything sent twice.</summary>
    public double EarthRatio => ArtifactBytes == 0 ? 0 : (double)EarthChunkBytes / ArtifactBytes;

    /// <summary>Mirror egress as a share of the artifact bytes delivered to agents.</summary>
    public double MirrorShare => Swarm.DeliveredBytes == 0 ? 0 : (double)Swarm.MirrorEgressBytes / Swarm.DeliveredBytes;
}
