using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Agent;

/// <summary>The real agent process against a node that restarts, loses answers or gives up on it, and across its own SIGKILL.</summary>
public sealed class AgentResilienceTests
{
    private static readonly string[] HappyPhases = ["pre-check", "downloading", "verifying", "applying", "smoke-test", "validated", "complete"];

    [Fact]
    public async Task NodeAnswers500ForAWhile_ReportsAreRetriedUntilAcknowledgedInOrder()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        var errors = 0;
        var down = true;
        var sawThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.OnReport = r =>
        {
            if (r.CampaignId is null || !Volatile.Read(ref down)) return StubAction.Normal;
            if (Interlocked.Increment(ref errors) >= 3) sawThree.TrySetResult();
            return StubAction.ServerError;
        };
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await sawThree.Task.WaitAsync(TimeSpan.FromSeconds(20)); // three progress reports refused with 500: the node is "restarting"
        Volatile.Write(ref down, false);
        await node.WaitForPhaseAsync("complete");

        Assert.Equal(HappyPhases, node.Accepted.Select(r => r.Report.Phase));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], node.Accepted.Select(r => r.Report.Seq ?? 0));
        Assert.True(node.Reports.Count(r => r.Status == 500) >= 3);
        Assert.DoesNotContain(node.Reports, r => r.Status is 409 or 400 or 404);
        await agent.WaitForLineAsync(l => l.Contains("Node did not take the report", StringComparison.Ordinal), "the agent to log its retries");
    }

    [Fact]
    public async Task KilledDuringApply_RestartedAgentRollsBackFromItsJournal()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:Hooks:Apply"] = setup.Logs("apply") + "; exec sleep 60";
        setup.Settings["Agent:Hooks:ApplyTimeoutSeconds"] = "30";
        node.Assign(AgentUnderTest.DefaultServerId);

        using (var first = setup.Start())
        {
            await node.WaitForPhaseAsync("applying");
            await first.WaitForLineAsync(l => l.Contains("Running apply hook", StringComparison.Ordinal), "the apply hook to start");
            first.Kill(); // SIGKILL, the whole tree: the agent and its hook die mid-apply
            await first.WaitForExitAsync("the killed agent");
        }
        using var second = setup.Start();
        await node.WaitForPhaseAsync("rolled-back");

        Assert.Equal(["pre-check", "downloading", "verifying", "applying", "failed", "rolling-back", "rolled-back"], node.Accepted.Select(r => r.Report.Phase));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], node.Accepted.Select(r => r.Report.Seq ?? 0));
        Assert.Equal("agent restarted during applying", node.Accepted.Single(r => r.Report.Phase == "failed").Report.Detail);
        Assert.Equal(["pre-check", "apply", "rollback"], setup.HookCalls().Select(c => c[0]));
        Assert.Single(node.Reports, r => r.Report.Phase == "idle"); // the journal remembers the registration
    }

    [Fact]
    public async Task AnswerLost_RetriedReportIsTakenAsADuplicateAndTheUpgradeGoesOn()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        var dropped = 0;
        node.OnReport = r => r.Phase == "applying" && Interlocked.Exchange(ref dropped, 1) == 0 ? StubAction.RecordThenDropAnswer : StubAction.Normal;
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("complete");

        var applying = node.Reports.Where(r => r.Report.Phase == "applying").ToArray();
        Assert.Equal(2, applying.Length);
        Assert.Equal(applying[0].Report.Seq, applying[1].Report.Seq);
        Assert.True(applying[1].Duplicate, "the retry should be answered as a duplicate");
        Assert.Equal(HappyPhases, node.Accepted.Select(r => r.Report.Phase));
        await agent.WaitForLineAsync(l => l.Contains("as a duplicate", StringComparison.Ordinal), "the agent to log the duplicate answer");
        Assert.Single(setup.HookCalls(), c => c[0] == "apply");
    }

    [Fact]
    public async Task NodeSaysTimedOut_AgentStopsTheRunningHookAndRollsBack()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        // The smoke test hangs; the node's 409 "timed-out" on the smoke-test report must cut it short.
        setup.Settings["Agent:Hooks:SmokeTest"] = setup.Logs("smoke-test") + "; exec sleep 60";
        setup.Settings["Agent:Hooks:SmokeTestTimeoutSeconds"] = "30";
        node.OnReport = r => r.Phase == "smoke-test" ? StubAction.TimeOut : StubAction.Normal;
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        var refused = await node.WaitForAsync(r => r.Status == 409, "the node to refuse the smoke-test report with 409 timed-out");
        var rolledBack = await node.WaitForPhaseAsync("rolled-back");

        Assert.Equal("smoke-test", refused.Report.Phase);
        Assert.Equal(["pre-check", "downloading", "verifying", "applying", "rolling-back", "rolled-back"], node.Accepted.Select(r => r.Report.Phase));
        Assert.Equal([1L, 2, 3, 4, 5, 6], node.Accepted.Select(r => r.Report.Seq ?? 0));
        Assert.Contains("node says timed-out", node.Accepted.Single(r => r.Report.Phase == "rolling-back").Report.Detail, StringComparison.Ordinal);
        Assert.True(rolledBack.At - refused.At < TimeSpan.FromSeconds(10), $"rolled back {rolledBack.At - refused.At} after the verdict (the hung hook has 30 s)");
        Assert.Equal(["pre-check", "apply", "smoke-test", "rollback"], setup.HookCalls().Select(c => c[0]));
    }
}
