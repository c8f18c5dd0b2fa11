namespace Lunar.Dtn.Simulator.Fleet;

/// <summary>One simulated server: where it is, and how its upgrades behave (its own random stream).</summary>
public sealed record FleetServer(string Id, string Site, string Cluster, int Tier, string RedundancyGroup, bool Staging);
