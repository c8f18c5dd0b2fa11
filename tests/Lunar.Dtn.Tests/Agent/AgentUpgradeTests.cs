using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Agent;

/// <summary>The real agent process upgrading through its drivers, against the <see cref="StubExecutor"/>.</summary>
public sealed class AgentUpgradeTests
{
    private static readonly string[] HappyPhases = ["pre-check", "downloading", "verifying", "applying", "smoke-test", "validated", "complete"];

    [Fact]
    public async Task Hooks_HappyPath_ReportsEveryPhaseInOrderAndGivesHooksTheUpgrade()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        var assignment = node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("complete");

        var registration = node.Reports.First();
        Assert.Equal("idle", registration.Report.Phase);
        Assert.Equal(("shackleton", "c7", 3, "rg-12", false),
            (registration.Report.Site, registration.Report.Cluster, registration.Report.Tier, registration.Report.RedundancyGroup, registration.Report.Staging));
        Assert.Equal(HappyPhases, node.Accepted.Select(r => r.Report.Phase));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], node.Accepted.Select(r => r.Report.Seq ?? 0));
        Assert.All(node.Accepted, r => Assert.Equal(("camp-1", 1), (r.Report.CampaignId, r.Report.Attempt)));
        Assert.Equal("2.0.0", node.Accepted[^1].Report.Version);
        Assert.Equal("downloading lunar-os 2.0.0 (300000 bytes) from peers and the mirror", node.Accepted.Single(r => r.Report.Phase == "downloading").Report.Detail);

        var calls = setup.HookCalls();
        Assert.Equal(["pre-check", "apply", "smoke-test"], calls.Select(c => c[0]));
        Assert.All(calls, c => Assert.Equal([AgentUnderTest.DefaultServerId, "camp-1", "1", "2.0.0", assignment.Sha256], c[1..6]));

        var url = await ListeningUrl(agent);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"{url}/metrics");
        Assert.Contains("lunar_agent_phase{phase=\"idle\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("lunar_agent_rollbacks_total 0", metrics, StringComparison.Ordinal);
        // No peer anywhere (the stub's tracker lists nobody): every byte came from the mirror's HTTP endpoint.
        Assert.Contains("lunar_agent_artifact_bytes_total{source=\"mirror\"} 300000", metrics, StringComparison.Ordinal);
        Assert.Contains("lunar_agent_artifact_mirror_http_bytes_total 300000", metrics, StringComparison.Ordinal);
        Assert.Contains("lunar_agent_artifact_bytes_total{source=\"peer\"} 0", metrics, StringComparison.Ordinal);
        Assert.Equal(assignment.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            await File.ReadAllBytesAsync(Path.Combine(setup.Settings["Agent:DataDir"], "artifacts", assignment.Sha256)))));
        Assert.Matches(@"lunar_agent_reports_total [78]\b", metrics); // the last ack may still be on its way into the counter
        var health = await http.GetFromJsonAsync<JsonElement>($"{url}/healthz");
        Assert.Equal("live", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Hooks_ApplyFails_ReportsFailedRollingBackRolledBackAndRunsTheRollbackHook()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:Hooks:Apply"] = setup.Logs("apply") + "; echo 'disk full' >&2; exit 3";
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("rolled-back");

        Assert.Equal(["pre-check", "downloading", "verifying", "applying", "failed", "rolling-back", "rolled-back"], node.Accepted.Select(r => r.Report.Phase));
        var failed = node.Accepted.Single(r => r.Report.Phase == "failed").Report.Detail!;
        Assert.Contains("exited with code 3", failed, StringComparison.Ordinal);
        Assert.Contains("disk full", failed, StringComparison.Ordinal);
        Assert.Equal(["pre-check", "apply", "rollback"], setup.HookCalls().Select(c => c[0]));
    }

    [Fact]
    public async Task Hooks_ApplyHangs_KilledAtItsTimeoutAndRolledBackWithinTheDeadline()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        var pidFile = setup.Path("apply.pid");
        setup.Settings["Agent:Hooks:Apply"] = $"echo $$ > '{pidFile}'; exec sleep 60";
        setup.Settings["Agent:Hooks:ApplyTimeoutSeconds"] = "1";
        setup.Settings["Agent:Hooks:RollbackTimeoutSeconds"] = "2";
        setup.Settings["Agent:RollbackDeadlineSeconds"] = "3";
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        var rolledBack = await node.WaitForPhaseAsync("rolled-back");
        var failed = node.Accepted.Single(r => r.Report.Phase == "failed");

        Assert.Contains("apply hook timed out after 1 s and was killed", failed.Report.Detail, StringComparison.Ordinal);
        Assert.True(rolledBack.At - failed.At < TimeSpan.FromSeconds(3), $"rolled back {rolledBack.At - failed.At} after the failure; the deadline is 3 s");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the hanging apply hook (pid {pid}) is still alive");
        Assert.Equal("rollback", setup.HookCalls().Last()[0]);
    }

    [Fact]
    public async Task Hooks_SmokeTestFails_RollsBackAndNeverDeclaresSuccess()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:Hooks:SmokeTest"] = setup.Logs("smoke-test") + "; exit 1";
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("rolled-back");

        Assert.Equal(["pre-check", "downloading", "verifying", "applying", "smoke-test", "failed", "rolling-back", "rolled-back"],
            node.Accepted.Select(r => r.Report.Phase));
        Assert.Equal(["pre-check", "apply", "smoke-test", "rollback"], setup.HookCalls().Select(c => c[0]));
    }

    [Fact]
    public async Task Simulated_HappyPath_CompletesAfterItsApplyTime()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:Driver"] = "simulated";
        setup.Settings["Agent:Simulated:ApplySeconds"] = "0.2";
        setup.Settings["Agent:Simulated:FailureRate"] = "0";
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("complete");

        Assert.Equal(HappyPhases, node.Accepted.Select(r => r.Report.Phase));
        // Reports travel on their own, so the stub's arrival times do not show the apply time; the apply's own account does.
        Assert.Equal("simulated apply of 2.0.0 took 0.2 s", node.Accepted.Single(r => r.Report.Phase == "smoke-test").Report.Detail);
        Assert.Empty(setup.HookCalls());
    }

    [Fact]
    public async Task Simulated_FailureRateOne_FailsAndRollsBack()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:Driver"] = "simulated";
        setup.Settings["Agent:Simulated:ApplySeconds"] = "0.2";
        setup.Settings["Agent:Simulated:FailureRate"] = "1";
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("rolled-back");

        var phases = node.Accepted.Select(r => r.Report.Phase ?? "").ToArray();
        Assert.Equal(["failed", "rolling-back", "rolled-back"], phases[^3..]);
        Assert.DoesNotContain("validated", phases);
        Assert.StartsWith("simulated ", node.Accepted.Single(r => r.Report.Phase == "failed").Report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_ExitsWithOneNamingEveryProblem()
    {
        using var agent = ChildProcess.Start("Lunar.Dtn.Agent",
            ["--Agent:ServerId=srv-1", "--Agent:NodeUrl=ftp://moon", "--Agent:Driver=hooks", "--Agent:PollSeconds=90",
             "--Agent:Hooks:RollbackTimeoutSeconds=600", "--Agent:Simulated:FailureRate=2"]);

        Assert.Equal(1, await agent.WaitForExitAsync("the misconfigured agent"));
        foreach (var key in new[] { "Agent:DataDir", "Agent:NodeUrl", "Agent:PollSeconds", "Agent:Hooks:Apply", "Agent:Hooks:SmokeTest",
                     "Agent:Hooks:Rollback", "Agent:Hooks:RollbackTimeoutSeconds", "Agent:Simulated:FailureRate" })
            Assert.Contains(agent.Seen, l => l.Contains(key, StringComparison.Ordinal));
    }


    internal static async Task<string> ListeningUrl(ChildProcess agent)
    {
        var line = await agent.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), "the agent to listen");
        return line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim();
    }
}
