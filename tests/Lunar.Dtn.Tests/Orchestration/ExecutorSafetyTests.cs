using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Orchestration;

/// <summary>The executor's safety rules over many seeded worlds, checked at every status it writes.</summary>
public sealed class ExecutorSafetyTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 24; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Campaign_WithPausesStopsAndLateApprovals_KeepsEveryInvariant_AndEveryServerEndsCompleteOrRolledBack(int seed)
    {
        var world = new ExecutionWorld(seed);
        var random = new Random(seed * 7919);
        var id = world.CreateCampaign("camp-1", approvalRequired: random.Next(2) == 0);
        world.Moon.Control(id, CampaignControl.Run, "ops");
        var approveAt = TimeSpan.FromHours(random.Next(0, 30));
        var pauseAt = TimeSpan.FromHours(random.NextDouble() * 20);
        var resumeAt = pauseAt + TimeSpan.FromHours(random.NextDouble() * 6);
        var startsAtPause = -1;
        var approved = false;
        var paused = false;

        var done = world.RunUntil(() => world.Finished(id), TimeSpan.FromDays(6), everyStep: t =>
        {
            if (!approved && t >= approveAt) { world.Approve(id); approved = true; }
            if (!paused && t >= pauseAt) { world.Moon.Control(id, CampaignControl.Pause, "ops"); paused = true; startsAtPause = world.Monitor.Starts; }
            if (paused && t < resumeAt) Assert.Equal(startsAtPause, world.Monitor.Starts);
            if (paused && t >= resumeAt && world.View(id).State == "paused") world.Moon.Control(id, CampaignControl.Run, "ops");
        });

        Assert.Empty(world.Monitor.Violations);
        Assert.Empty(world.Fleet.Refusals);
        var view = world.View(id);
        var finished = view.Progress.GetValueOrDefault("complete") + view.Progress.GetValueOrDefault("rolled-back");
        if (!done)
        {
            // The one legitimate way not to finish: staging went red, so Tier 1 must not start at all.
            Assert.True(world.StagingRed(id), $"campaign did not finish in 6 virtual days ({view.State}, {string.Join(",", view.Progress)}); {world.Describe()}");
            Assert.Equal(view.ProgressByTier["1"].GetValueOrDefault("idle"), world.Fleet.Servers.Count - finished);
        }
        else Assert.Equal(world.Fleet.Servers.Count, finished);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void EmergencyStop_TakesEffectAtOnce_NothingStartsUntilResumed(int seed)
    {
        var world = new ExecutionWorld(seed);
        var id = world.CreateCampaign("camp-1", approvalRequired: false, concurrency: 20);
        world.Moon.Control(id, CampaignControl.Run, "ops");
        // The result counts: if the executor started nothing, "nothing starts after the stop" would pass on zero work (issue 16, defect 11).
        Assert.True(world.RunUntil(() => world.Monitor.Starts >= 10, TimeSpan.FromHours(2)), $"the executor should start 10 servers before the stop: {world.Describe()}");
        world.Moon.Control(id, CampaignControl.Pause, "base-lead", "emergency stop");
        var starts = world.Monitor.Starts;

        world.RunUntil(() => false, TimeSpan.FromHours(3));

        Assert.Equal(starts, world.Monitor.Starts);
        Assert.Equal("paused", world.View(id).State);
        Assert.Empty(world.Monitor.Violations);
    }

    [Fact]
    public void Tier1_WithoutQuorum_NeverStarts_AndStartsOnceApproved()
    {
        var world = new ExecutionWorld(5, behaviour: new() { FailureRate = 0 });
        var id = world.CreateCampaign("camp-1", approvalRequired: false, concurrency: 30, tier2: []);
        world.Moon.Control(id, CampaignControl.Run, "ops");
        world.RunUntil(() => false, TimeSpan.FromDays(1));
        var view = world.View(id);
        Assert.Equal("idle", Assert.Single(view.ProgressByTier["1"]).Key);
        Assert.Equal("awaiting-approval", view.State); // Tier 2 and 3 run meanwhile: approvalRequired is false

        world.Approve(id);
        Assert.True(world.RunUntil(() => world.Finished(id), TimeSpan.FromDays(2)), world.Describe());
        Assert.Empty(world.Monitor.Violations);
    }

    [Fact]
    public void FailureRateOverThreshold_PausesTheCampaign_WithAnAlertInTheAuditLog()
    {
        var world = new ExecutionWorld(9, behaviour: new() { FailureRate = 0.6 });
        var id = world.CreateCampaign("camp-1", approvalRequired: false, concurrency: 10, anomaly: new AnomalyPolicy(0.2, 10), tier2: []);
        world.Moon.Control(id, CampaignControl.Run, "ops");

        Assert.True(world.RunUntil(() => world.View(id).State == "paused", TimeSpan.FromDays(1)), world.Describe());
        Assert.Contains(world.Moon.Read((s, _) => s.Audit.Values.ToArray()), a => a.Action == "alert-anomaly-pause" && a.Details.Contains(id));
        Assert.Empty(world.Monitor.Violations);
    }

    [Fact]
    public void MutationCheck_IgnoringRedundancyGroups_IsCaughtByTheMonitor()
    {
        var world = new ExecutionWorld(2, behaviour: new() { FailureRate = 0 });
        world.Executor.IgnoreRedundancyGroupsForTesting = true;
        var id = world.CreateCampaign("camp-1", approvalRequired: false, concurrency: 30, tier2: []);
        world.Moon.Control(id, CampaignControl.Run, "ops");
        world.RunUntil(() => world.Monitor.Violations.Count > 0, TimeSpan.FromHours(6));
        Assert.Contains(world.Monitor.Violations, v => v.Invariant == "redundancy");
    }

    [Fact]
    public void SilentAgent_IsTimedOut_AndNoServerStaysInProgress()
    {
        // Half the agents go silent, so half the staging pool rolls back: accept that as green here, this test is about timeouts.
        var world = new ExecutionWorld(4, behaviour: new() { FailureRate = 0, SilenceRate = 0.5, SilentFor = TimeSpan.FromHours(2) },
            options: new Lunar.Dtn.Orchestration.ExecutorOptions { StagingGreenFailureShare = 1.0 });
        var id = world.CreateCampaign("camp-1", approvalRequired: false, concurrency: 10, tier2: []);
        world.Approve(id);
        world.Moon.Control(id, CampaignControl.Run, "ops");
        Assert.True(world.RunUntil(() => world.Finished(id), TimeSpan.FromDays(4)), world.Describe());
        Assert.Contains(world.Moon.Read((s, _) => s.Audit.Values.ToArray()), a => a.Action == "server-timed-out");
        Assert.Empty(world.Monitor.Violations);
    }
}
