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
            var group = $"t{tier}-g{(n - 1) / s.RedundancyGroupSize:D5}";
            result.Add(new FleetServer($"srv-{i:D5}", s.Sites[i % s.Sites.Count], $"c{i % 16:D2}", tier, group, staging));
        }
        return result;
    }
}
