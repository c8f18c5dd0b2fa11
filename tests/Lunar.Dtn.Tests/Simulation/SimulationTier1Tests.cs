using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.World;

namespace Lunar.Dtn.Tests.Simulation;

/// <summary>
/// Tier 1 nodes in <c>simulator run</c>: each a full replica (the real replica, sync and executor code) on the Moon's LAN that
/// runs the Tier 1 servers whose agents registered with it, while Earth reaches it only through the Moon.
/// </summary>
public sealed class SimulationTier1Tests
{
    private static Scenario WithTier1(int seed, int nodes) => ScenarioReader.Parse($$"""
        { "name": "tier1", "seed": {{seed}},
          "servers": { "count": 600, "stagingPool": 60, "tier1Nodes": {{nodes}} },
          "upgrade": { "meanMinutes": 20, "failureRate": 0.02 },
          "artifact": { "sizeMB": 20 },
          "campaign": { "concurrency": 20, "batchSize": 10 },
          "link": { "blackouts": [ { "start": "2h", "duration": "3h" } ] },
          "events": [ { "at": "3h", "node": "moon", "action": "crash", "downFor": "20m" } ] }
        """);

    [Fact]
    public void Run_ThreeTier1Nodes_TheyRunTheirServers_EveryInvariantHoldsOverEveryNode_AndAllConverge()
    {
        var s = WithTier1(8, nodes: 3);
        var world = new SimWorld(s);
        var r = world.Run();
        Assert.True(r.Completed, "the campaign completes");
        Assert.Empty(r.Violations);
        Assert.True(r.Converged, "Earth, the Moon and the three Tier 1 nodes end with the same state");
        Assert.Equal(600, r.Upgraded + r.RolledBack);
        Assert.Equal(600, r.Starts);
        // The Tier 1 servers' statuses were written by their Tier 1 node and reached the Moon (and Earth) by sync: the
        // report's counts come from the Moon's replica, and every Tier 1 server is final there.
        var tier1 = FleetLayout.Of(s).Where(x => x.Executor is not null).ToArray();
        Assert.Equal(3, tier1.Select(x => x.Executor).Distinct().Count());
        Assert.All(tier1, x => Assert.Equal(1, x.Tier));
        Assert.True(r.TierHours.ContainsKey("1"));
        var (lb, why) = LowerBound.Of(s, world.Work, world.Crossing);
        Assert.Contains("3 Tier 1 nodes", why);
        Assert.True(r.CampaignHours >= lb, $"campaign {r.CampaignHours} h below its lower bound {lb} h");
    }

    [Fact]
    public void Run_Tier1Nodes_SameScenarioAndSeed_GivesTheSameReport()
    {
        string Once()
        {
            var s = WithTier1(12, nodes: 2);
            var world = new SimWorld(s);
            var report = RunReport.Build(s, world.Run(), world.Work, 0);
            report.Remove("wallSeconds");
            report.Remove("wall");
            return RunReport.ToJson(report);
        }
        Assert.Equal(Once(), Once());
    }

    [Fact]
    public void Run_WithTier1Nodes_ARedundancyRuleBrokenOnPurpose_IsCaught()
    {
        // Every executor (the Moon's and the Tier 1 nodes') ignores redundancy groups; the one monitor watching them all catches it.
        var world = new SimWorld(WithTier1(3, nodes: 2), breakRedundancyForTesting: true);
        var r = world.Run();
        var v = Assert.Single(r.Violations.Take(1));
        Assert.Equal("redundancy", v.Invariant);
        Assert.StartsWith("srv-", v.Where);
        Assert.False(r.Completed, "the run stops at the first violation");
    }

    [Theory]
    [InlineData("{\"servers\":{\"count\":10,\"stagingPool\":0,\"tier1Nodes\":-1}}", "servers.tier1Nodes")]
    [InlineData("{\"servers\":{\"count\":10,\"stagingPool\":0,\"tier1Nodes\":33}}", "servers.tier1Nodes")]
    [InlineData("{\"servers\":{\"count\":10,\"stagingPool\":0,\"tier1Nodes\":\"two\"}}", "servers.tier1Nodes")]
    public void Parse_BadTier1Nodes_NamesTheField(string json, string field)
    {
        var ex = Assert.Throws<FormatException>(() => ScenarioReader.Parse(json));
        Assert.Contains(field, ex.Message);
    }
}
