using System.Net;

namespace Lunar.Dtn.Swarm;

/// <summary>A peer as the tracker last heard of it, and the server whose agent announced it.</summary>
public sealed record TrackerPeer(IPEndPoint Endpoint, string Site, long Left, long LastSeen, string ServerId);
