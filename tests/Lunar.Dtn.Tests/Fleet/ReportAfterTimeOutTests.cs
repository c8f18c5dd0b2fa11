using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Orchestration;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// Regression (found by the fleet test): an agent killed after the node recorded its report but before the answer
/// arrived re-sends that report (same seq) when it restarts. If the executor timed the server out meanwhile, the
/// retry was refused as a replay (409) although the node had recorded it; the agent, taking a 409 for "not recorded",
/// moved its later reports down onto the same seq, and every one of them was refused in turn: the server stayed
/// timed-out for ever, its redundancy group blocked, the campaign never complete.
/// </summary>
public sealed class ReportAfterTimeOutTests
{
    [Fact]
    public void RetryOfTheLastRecordedReport_AfterTheExecutorTimedTheServerOut_IsADuplicate_AndTheRollbackIsThenAccepted()
    {
        var world = new ExecutionWorld(1, servers: 1, options: new ExecutorOptions());
        var id = world.CreateCampaign("camp-1", approvalRequired: false, tier2: []);
        world.Approve(id);
        world.Moon.Control(id, CampaignControl.Run, "ops");
        Assert.Equal(1, world.Executor.Tick());
        const string server = "srv-0000";
        string[] phases = ["pre-check", "downloading", "verifying", "applying"];
        for (var i = 0; i < phases.Length; i++)
            Assert.Equal(ReportStatus.Accepted, world.Executor.Report(server, Progress(phases[i], i + 1)).Status);

        // The agent dies before the answer to "applying" (seq 4) arrives; the executor times the server out.
        world.Time.Advance(new ExecutorOptions().TimeoutOf(UpgradePhase.Applying) + TimeSpan.FromSeconds(1));
        world.Executor.Tick();
        Assert.Equal("timed-out", Phase(world, server));

        // Restarted, it re-sends seq 4: the node has it, so it is a duplicate, not a 409 the agent would misread.
        var retry = world.Executor.Report(server, Progress("applying", 4));
        Assert.Equal(ReportStatus.Duplicate, retry.Status);
        Assert.Equal("timed-out", retry.Phase);
        // An older report is still a replay, and a different phase at a new seq is still out of order.
        Assert.Equal(ReportStatus.Conflict, world.Executor.Report(server, Progress("verifying", 3)).Status);
        Assert.Equal(ReportStatus.Conflict, world.Executor.Report(server, Progress("smoke-test", 5)).Status);
        // Its failure and rollback, numbered on from 5, are recorded: the attempt ends.
        Assert.Equal(ReportStatus.Accepted, world.Executor.Report(server, Progress("failed", 5)).Status);
        Assert.Equal(ReportStatus.Accepted, world.Executor.Report(server, Progress("rolling-back", 6)).Status);
        Assert.Equal(ReportStatus.Accepted, world.Executor.Report(server, Progress("rolled-back", 7)).Status);
        Assert.Equal("rolled-back", Phase(world, server));
        Assert.Equal("completed", world.View(id).State);
    }

    private static AgentReport Progress(string phase, long seq) => new("camp-1", 1, phase, $"{phase} (seq {seq})", null, null, null, null, null, null, seq);

    private static string Phase(ExecutionWorld world, string server) =>
        world.Moon.Read((s, _) => s.Servers[server].Status!.Phase.ToName());
}
