using System.Net;

namespace Lunar.Dtn.Swarm;

/// <summary>A tracker's answer: peers and the announce interval, or the tracker's failure reason.</summary>
public sealed record TrackerResponse(IReadOnlyList<IPEndPoint> Peers, int IntervalSeconds, string? Failure)
{
    public static TrackerResponse Failed(string reason) => new([], 0, reason);
}
