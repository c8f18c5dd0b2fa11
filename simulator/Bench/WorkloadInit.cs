namespace Lunar.Dtn.Simulator.Bench;

/// <summary>A server's shared starting point, written on A and synced to B before the cut.</summary>
public sealed record WorkloadInit(int Line, string Id, string Status, string Version, string Campaign, string Rack, long Ts);
