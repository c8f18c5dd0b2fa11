namespace Lunar.Dtn.Simulator.Fleet;

/// <summary>One simulated server: where it is, and how its upgrades behave (its own random stream).</summary>
/// <param name="Executor">The node whose executor runs it: null for the Moon, else a Tier 1 node.</param>
public sealed record FleetServer(string Id, string Site, string Cluster, int Tier, string RedundancyGroup, bool Staging, string? Executor = null);
