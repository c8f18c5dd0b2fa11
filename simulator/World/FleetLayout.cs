using Lunar.Dtn.Simulator.Fleet;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// The servers of a scenario, laid out deterministically: the staging pool first (Tier 3), then the tiers by their
/// shares, sites in turn, and redundancy groups of the scenario's size within each tier.
/// </summary>
public static class FleetLayout
{
    public static IReadOnlyList<FleetServer> Of(Scenario s)
    {
        var result = new List<FleetServer>(s.Servers);
        var rest = s.Servers - s.StagingPool;
        var t1 = (int)Math.Round(rest * s.TierShares.GetValueOrDefault(1));
        var t2 = (int)Math.Round(rest * s.TierShares.GetValueOrDefault(2));
        var inGroup = new Dictionary<int, int>();
        for (var i = 0; i < s.Servers; i++)
        {
            var staging = i < s.StagingPool;
            var k = i - s.StagingPool;
            var tier = staging ? 3 : k < t1 ? 1 : k < t1 + t2 ? 2 : 3;
            var n = inGroup[tier] = inGroup.GetValueOrDefault(tier) + 1;
            var groupIndex = (n - 1) / s.RedundancyGroupSize;
            var group = $"t{tier}-g{groupIndex:D5}";
            // With Tier 1 nodes, each runs whole redundancy groups of Tier 1 (a group never spans two executors).
            var executor = tier == 1 && !staging && s.Tier1Nodes > 0 ? Tier1NodeId(groupIndex % s.Tier1Nodes) : null;
            result.Add(new FleetServer($"srv-{i:D5}", s.Sites[i % s.Sites.Count], $"c{i % 16:D2}", tier, group, staging, executor));
        }
        return result;
    }

    /// <summary>The id of Tier 1 node <paramref name="index"/> (0-based): t1-1, t1-2, ...</summary>
    public static string Tier1NodeId(int index) => $"t1-{index + 1}";
}
