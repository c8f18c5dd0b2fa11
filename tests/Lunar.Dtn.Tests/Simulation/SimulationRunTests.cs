using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.World;

namespace Lunar.Dtn.Tests.Simulation;

public sealed class SimulationRunTests
{
    private static Scenario Small(int seed = 7) => ScenarioReader.Parse($$"""
        { "name": "small", "seed": {{seed}},
          "servers": { "count": 300, "stagingPool": 30 },
          "upgrade": { "meanMinutes": 20, "failureRate": 0.02 },
          "campaign": { "concurrency": 20, "batchSize": 10 },
          "link": { "blackouts": [ { "start": "2h", "duration": "3h" } ] } }
        """);

    private static Dictionary<string, object?> Report(Scenario s, out RunResult result)
    {
        var world = new SimWorld(s);
        result = world.Run();
        var report = RunReport.Build(s, result, world.Work, 0);
        report.Remove("wallSeconds");
        report.Remove("wall");
        return report;
    }

    [Fact]
    public void Run_SameScenarioAndSeed_GivesTheSameReport()
    {
        var a = RunReport.ToJson(Report(Small(), out var first));
        var b = RunReport.ToJson(Report(Small(), out _));
        Assert.True(first.Completed);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Run_SmallScenarioWithABlackout_CompletesWithEveryInvariantHolding_AndCatchesUpWithinTheFloor()
    {
        var s = Small(11);
        Report(s, out var r);
        Assert.True(r.Completed, "the campaign completes");
        Assert.Empty(r.Violations);
        Assert.True(r.Converged);
        var catchUp = Assert.Single(r.AfterBlackoutSeconds);
        // One light time + transmission of what was queued (well under a second at 10 Mbit/s here) + 1 s.
        Assert.True(catchUp <= s.OneWayDelaySeconds + 1 + 1, $"caught up {catchUp} s after the blackout");
        Assert.Equal(300, r.Upgraded + r.RolledBack);
    }

    [Fact]
    public void Run_LongBlackoutAfterApprovals_DoesNotDelayTheMoon_TierHoursUnchanged()
    {
        var clear = Small(13) with { Blackouts = [] };
        var dark = clear with { Blackouts = [new Lunar.Dtn.Links.Blackout(TimeSpan.FromHours(1), TimeSpan.FromHours(36))] };
        Report(clear, out var a);
        Report(dark, out var b);
        Assert.True(a.Completed && b.Completed);
        Assert.Empty(b.Violations);
        foreach (var (tier, hours) in a.TierHours)
            Assert.True(Math.Abs(b.TierHours[tier] - hours) <= 0.02 * hours, $"tier {tier}: {b.TierHours[tier]} h with the blackout against {hours} h without");
        Assert.Equal(a.RolledBack, b.RolledBack);
        Assert.True(b.MaxLagSeconds >= TimeSpan.FromHours(3).TotalSeconds, $"Earth was in the dark while the Moon worked (lag {b.MaxLagSeconds} s)");
    }

    [Fact]
    public void Run_MoonCrashesTwice_LosesNothingAndCompletes()
    {
        var s = Small(5) with
        {
            Events = [new ScenarioEvent(TimeSpan.FromHours(1), "moon", "crash", null, TimeSpan.FromMinutes(10)),
                      new ScenarioEvent(TimeSpan.FromHours(3), "moon", "crash", null, TimeSpan.FromMinutes(30))],
        };
        Report(s, out var r);
        Assert.True(r.Completed);
        Assert.Empty(r.Violations);
    }

    [Fact]
    public void Run_RedundancyRuleBrokenOnPurpose_IsCaughtWithWhenWhereAndWhich()
    {
        var world = new SimWorld(Small(3), breakRedundancyForTesting: true);
        var r = world.Run();
        var v = Assert.Single(r.Violations.Take(1));
        Assert.Equal("redundancy", v.Invariant);
        Assert.StartsWith("srv-", v.Where);
        Assert.False(r.Completed, "the run stops at the first violation");
    }

    [Fact]
    public void Sweep_SeedsWithVariedFaults_HoldEveryInvariant()
    {
        var scenario = ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, "scenarios", "sweep-small.json"));
        var failures = new List<string>();
        for (var seed = 1; seed <= 8; seed++)
        {
            var s = SweepCommand.WithFaults(scenario, seed);
            var r = new SimWorld(s).Run();
            if (r.Violations.Count > 0 || !r.Converged) failures.Add($"seed {seed}: {string.Join("; ", r.Violations.Take(2))} converged={r.Converged}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Sweep_Seed186_RollbackReportedLateBecauseTheMoonWasDown_IsNotAViolation()
    {
        // Regression: the agent rolled back in 3 minutes, but the Moon was down and heard of it 8 minutes later.
        var scenario = ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, "scenarios", "sweep-small.json"));
        var r = new SimWorld(SweepCommand.WithFaults(scenario, 186)).Run();
        Assert.Empty(r.Violations);
        Assert.True(r.Completed);
    }

    [Theory]
    [InlineData("{}", "servers")]
    [InlineData("{\"servers\":{}}", "servers.count")]
    [InlineData("{\"servers\":{\"count\":\"many\"}}", "servers.count")]
    [InlineData("{\"servers\":{\"count\":10,\"tierShares\":{\"1\":0.5}}}", "servers.tierShares")]
    [InlineData("{\"servers\":{\"count\":10,\"stagingPool\":20}}", "servers.stagingPool")]
    [InlineData("{\"servers\":{\"count\":10},\"link\":{\"blackouts\":[{\"start\":\"soon\",\"duration\":\"1h\"}]}}", "link.blackouts[0].start")]
    [InlineData("{\"servers\":{\"count\":10},\"events\":[{\"at\":\"1h\",\"node\":\"mars\",\"action\":\"pause\"}]}", "events[0].node")]
    [InlineData("{\"servers\":{\"count\":10},\"events\":[{\"at\":\"1h\",\"node\":\"moon\",\"action\":\"crash\"}]}", "events[0].downFor")]
    [InlineData("{\"servers\":{\"count\":10},\"campaign\":{\"tier2Windows\":[{\"start\":\"25:00\",\"end\":\"06:00\"}]}}", "campaign.tier2Windows[0].start")]
    [InlineData("not json", "not JSON")]
    public void Parse_BadScenario_NamesTheField(string json, string field)
    {
        var ex = Assert.Throws<FormatException>(() => ScenarioReader.Parse(json));
        Assert.Contains(field, ex.Message);
    }
}
