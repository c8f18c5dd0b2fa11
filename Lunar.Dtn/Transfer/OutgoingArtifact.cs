using Lunar.Dtn.Model;

namespace Lunar.Dtn.Transfer;

/// <summary>One artifact being sent to one peer: the chunks sent on the current session and not yet acknowledged, and the acknowledged rate.</summary>
internal sealed class OutgoingArtifact(ArtifactRecord record)
{
    public ArtifactRecord Record { get; } = record;
    public HashSet<int> InFlight { get; } = [];
    public TransferRate Rate { get; } = new();
    public long ChunksSent { get; set; }
}
