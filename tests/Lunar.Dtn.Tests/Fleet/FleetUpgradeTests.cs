using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// A real Moon node and 30 real agents with the hooks driver: upgrades that fail, hang or lose their agent to a SIGKILL,
/// under the scheduler's rules (staging first, Tier 1 behind a quorum and green staging, Tier 2 in its window, one
/// server per redundancy group out of service).
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetUpgradeTests(ITestOutputHelper output)
{
    private static readonly TestArtifact Artifact = TestArtifact.Of(4096, seed: 3);
    private static string Sha => Artifact.Sha;
    private const double RollbackDeadlineSeconds = 10;
    private const int Servers = 30;

    private static readonly int[] StagingAt = [1, 4, 7];
    private static readonly int[] FailsAt = [5, 11, 17, 23];
    private static readonly int[] HangsAt = [8, 14, 26];
    private static readonly int[] KilledAt = [12, 20, 29];

    private static string Id(int i) => $"srv-{i:D2}";

    private static int GroupIndex(int i) => (i - 1) / 3;

    /// <summary>Groups 3-4 are Tier 1, 5-6 Tier 2, the rest Tier 3 (staging is in groups 0-2).</summary>
    private static int TierOf(int i) => GroupIndex(i) switch { 3 or 4 => 1, 5 or 6 => 2, _ => 3 };

    // Generous deadlines: on two loaded cores a killed agent's restart (a fresh .NET process) can take tens of seconds
    // (the stop-11 CI failures were this, not a hang: the restarted agents were still starting when 50 s ran out).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task ThirtyAgents_FailingHangingAndKilledUpgrades_CampaignCompletes_RollbacksInTime_OneServerPerGroupOut()
    {
        var clock = Stopwatch.StartNew();
        await using var moon = await FleetMoon.StartAsync(
        [
            "--Executor:TickSeconds=0.2",
            "--Executor:Timeouts:queued=10", "--Executor:Timeouts:pre-check=10", "--Executor:Timeouts:downloading=10",
            "--Executor:Timeouts:verifying=10", "--Executor:Timeouts:applying=6", "--Executor:Timeouts:smoke-test=10",
            "--Executor:Timeouts:validated=10", "--Executor:Timeouts:failed=15", "--Executor:Timeouts:rolling-back=15",
        ], Enumerable.Range(1, Servers).Select(Id));
        var hookLog = Path.Combine(moon.Dir, "hooks.log");
        for (var i = 1; i <= Servers; i++)
        {
            var n = i;
            moon.AddAgent(Id(n), s =>
            {
                s["Agent:RedundancyGroup"] = $"rg-{GroupIndex(n):D2}";
                s["Agent:Tier"] = TierOf(n).ToString(CultureInfo.InvariantCulture);
                s["Agent:Staging"] = StagingAt.Contains(n) ? "true" : "false";
                s["Agent:Driver"] = "hooks";
                s["Agent:RollbackDeadlineSeconds"] = RollbackDeadlineSeconds.ToString(CultureInfo.InvariantCulture);
                s["Agent:Hooks:TimeoutSeconds"] = "2";
                s["Agent:Hooks:ApplyTimeoutSeconds"] = KilledAt.Contains(n) ? "120" : "1.5"; // a killed agent's apply must outlive the test's reaction, even on a loaded machine
                s["Agent:Hooks:PreCheck"] = "sleep 0.2"; // long enough for the watch to catch pre-check, whose since is near the start
                s["Agent:Hooks:Apply"] = Hooks.Logged(hookLog, "apply",
                    FailsAt.Contains(n) ? Hooks.Fails : HangsAt.Contains(n) || KilledAt.Contains(n) ? Hooks.Hangs : "sleep 0.3");
                s["Agent:Hooks:SmokeTest"] = Hooks.Succeeds;
                s["Agent:Hooks:Rollback"] = Hooks.Logged(hookLog, "rollback");
            });
        }
        await moon.StartAgentsAsync(wave: 10, Patience);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: moon up, {Servers} agents registered");

        await NodePair.PostAsync(moon.Api, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 4096 });
        await Artifact.UploadAsync(moon.Api);
        var now = DateTimeOffset.UtcNow;
        var campaign = (await NodePair.PostAsync(moon.Api, "/api/v1/campaigns", new
        {
            name = "fleet-wave", artifactId = Sha, batchSize = 10, concurrencyLimit = 10, approvalRequired = true,
            tier2Windows = new[] { new { start = now.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture), end = now.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) } },
        })).GetProperty("id").GetString()!;
        await Task.WhenAll(
            ApproverCli.ApproveAsync(moon.ConstellationDir, campaign, "alice", "flight-director", moon.Url),
            ApproverCli.ApproveAsync(moon.ConstellationDir, campaign, "bob", "base-lead", moon.Url));
        Assert.True(moon.Get($"/api/v1/approvals/{campaign}").GetProperty("quorumHolds").GetBoolean(), "the quorum should hold after alice and bob signed");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: campaign {campaign} approved with the CLI");

        var watch = new ServiceWatch(moon.Api, moon.Agents.Select(a => a.ServerId).ToArray());
        using var stopWatching = new CancellationTokenSource();
        var watching = watch.RunAsync(stopWatching.Token);
        // The killers: each waits for its agent to start the apply hook, then kills agent and hook mid-upgrade.
        var kills = KilledAt.Select(async i =>
        {
            var agent = moon.Agents[i - 1];
            await agent.Process.WaitForLineAsync(l => l.Contains("Running apply hook", StringComparison.Ordinal), $"{agent.ServerId} to start applying", Patience);
            await agent.KillAndRestartAsync();
        }).ToArray();
        var started = clock.Elapsed;
        await NodePair.PostAsync(moon.Api, $"/api/v1/campaigns/{campaign}/start");

        await moon.WaitForCampaignAsync(campaign, "completed", Patience);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: campaign completed ({(clock.Elapsed - started).TotalSeconds:0.0} s after start)");
        await Task.WhenAll(kills).WaitAsync(Patience);
        await stopWatching.CancelAsync();
        await watching;

        // Every server ends complete or rolled back; exactly the broken ones rolled back.
        var view = moon.Get($"/api/v1/campaigns/{campaign}");
        var progress = view.GetProperty("progress").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        int[] broken = [.. FailsAt, .. HangsAt, .. KilledAt];
        Assert.Equal(new Dictionary<string, int> { ["complete"] = Servers - broken.Length, ["rolled-back"] = broken.Length }, progress);
        var states = Enumerable.Range(1, Servers).ToDictionary(Id, i => moon.Get($"/api/v1/servers/{Id(i)}/state"));
        foreach (var (id, s) in states)
        {
            var expected = broken.Contains(int.Parse(id[4..], CultureInfo.InvariantCulture)) ? "rolled-back" : "complete";
            Assert.True(s.GetProperty("phase").GetString() == expected, $"{id}: {expected} expected, got {s.GetRawText()}");
            Assert.Equal(campaign, s.GetProperty("campaignId").GetString());
            Assert.Equal(1, s.GetProperty("attempt").GetInt32());
        }

        // Each failure was rolled back within the deadline: from the server's failed report (the Moon's server-failed
        // audit entry) to its rolled-back report (server-rolled-back), both in the Moon's audit log. For a killed agent the
        // failed report comes from the restarted agent (the Moon may have timed the server out before: that is not the
        // server's report, and the time a dead agent takes to come back is no rollback's).
        var audit = moon.Get($"/api/v1/audit?campaign={campaign}").EnumerateArray().ToArray();
        var rollbackHooks = File.ReadAllLines(hookLog).Where(l => l.StartsWith("rollback ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToArray();
        foreach (var i in broken)
        {
            var failedAt = audit.Where(e => Names(e, Id(i), "server-failed")).Select(Time).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var rolledBackAt = audit.Where(e => Names(e, Id(i), "server-rolled-back")).Select(Time).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            Assert.True(failedAt != DateTimeOffset.MaxValue && rolledBackAt != DateTimeOffset.MaxValue,
                $"{Id(i)}: no failed or no rolled-back report in the audit log: {string.Join("; ", audit.Where(e => e.GetProperty("details").GetString()!.Contains(Id(i), StringComparison.Ordinal)).Select(e => e.GetRawText()))}");
            var took = rolledBackAt - failedAt;
            var timedOut = audit.Any(e => Names(e, Id(i), "server-timed-out")) ? " (the moon had timed it out first)" : "";
            output.WriteLine($"{Id(i)}: rolled back {took.TotalSeconds:0.000} s after its failed report{timedOut}");
            Assert.True(took <= TimeSpan.FromSeconds(RollbackDeadlineSeconds), $"{Id(i)} took {took} from its failed report to rolled-back, over the {RollbackDeadlineSeconds} s deadline");
            Assert.Equal(1, rollbackHooks.Count(s => s == Id(i)));
        }
        Assert.Equal(broken.Length, rollbackHooks.Length);
        foreach (var i in HangsAt) Assert.Contains(audit, e => Names(e, Id(i), "server-failed") && e.GetProperty("details").GetString()!.Contains("apply hook timed out after 1.5 s and was killed", StringComparison.Ordinal));
        foreach (var i in FailsAt) Assert.Contains(audit, e => Names(e, Id(i), "server-failed") && e.GetProperty("details").GetString()!.Contains("apply hook exited with code 1", StringComparison.Ordinal));
        foreach (var i in KilledAt)
        {
            Assert.Equal(2, moon.Agents[i - 1].Runs);
            Assert.Contains(audit, e => Names(e, Id(i), "server-failed") && e.GetProperty("details").GetString()!.Contains("agent restarted during applying", StringComparison.Ordinal));
        }

        // The scheduler's rules, from the rebuilt out-of-service intervals (see ServiceWatch for what they prove).
        var intervals = watch.Intervals(campaign);
        output.WriteLine($"{watch.Polls} polling rounds; {intervals.Count} intervals");
        Assert.Equal(Servers, intervals.Count);
        Assert.Empty(ServiceWatch.GroupOverlaps(intervals));
        Assert.True(ServiceWatch.MaxConcurrent(intervals) <= 10, $"more than the concurrency limit out at once: {ServiceWatch.MaxConcurrent(intervals)}");
        var stagingDone = intervals.Where(x => x.Staging).Max(x => x.ToMs);
        foreach (var t1 in intervals.Where(x => x.Tier == 1))
            Assert.True(t1.FromMs >= stagingDone, $"Tier 1 {t1} was out of service before staging was green at {DateTimeOffset.FromUnixTimeMilliseconds(stagingDone):HH:mm:ss.fff}");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: done");
    }

    private static DateTimeOffset Time(JsonElement e) => e.GetProperty("time").GetDateTimeOffset();

    private static bool Names(JsonElement e, string serverId, string action) =>
        e.GetProperty("action").GetString() == action && e.GetProperty("details").GetString()!.StartsWith($"server {serverId} in campaign", StringComparison.Ordinal);
}
