using System.Diagnostics;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>The failure-rate rule on a real Moon with real agents whose apply hooks mostly fail.</summary>
[Collection(FleetCollection.Name)]
public sealed class AnomalyPauseTests(ITestOutputHelper output)
{
    private static readonly TestArtifact Artifact = TestArtifact.Of(4096, seed: 1);
    private static string Sha => Artifact.Sha;
    private const int Concurrency = 2;
    private const int Window = 4;

    /// <summary>Apply fails on these (of a-1..a-8, started in this order): the first four to finish include at least three failures.</summary>
    private static readonly int[] FailsAt = [1, 2, 3, 5, 6, 8];

    [Fact]
    public async Task MostAppliesFail_CampaignPausesOnTheFailureRate_AuditsIt_AndStartsNothingAfterThePause()
    {
        var clock = Stopwatch.StartNew();
        await using var moon = await FleetMoon.StartAsync(["--Executor:TickSeconds=0.2", "--Executor:Timeouts:applying=6"],
            [.. Enumerable.Range(1, 8).Select(n => $"a-{n}"), "canary"]);
        for (var i = 1; i <= 8; i++)
        {
            var n = i;
            moon.AddAgent($"a-{n}", s => Configure(s, "alpha", FailsAt.Contains(n) ? Hooks.Fails : Hooks.Succeeds));
        }
        // The canary: a server of another site, for a second campaign whose start proves the scheduler ran after the pause.
        moon.AddAgent("canary", s => Configure(s, "canary", Hooks.Succeeds));
        await moon.StartAgentsAsync(wave: 9, TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: moon up, 9 agents registered");

        await NodePair.PostAsync(moon.Api, "/api/v1/artifacts", new { name = "lunar-os", version = "2.5.0", sha256 = Sha, sizeBytes = 4096 });
        await Artifact.UploadAsync(moon.Api);
        var campaign = (await NodePair.PostAsync(moon.Api, "/api/v1/campaigns", new
        {
            name = "doomed-wave", artifactId = Sha, selector = new { sites = new[] { "alpha" } }, batchSize = Concurrency, concurrencyLimit = Concurrency,
            approvalRequired = false, pauseOnAnomaly = new { failureRate = 0.3, window = Window },
        })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(moon.Api, $"/api/v1/campaigns/{campaign}/start");

        await moon.WaitForCampaignAsync(campaign, "paused", TimeSpan.FromSeconds(40));
        // One read: the campaign is paused and this many servers had not left idle.
        var atPause = moon.Get($"/api/v1/campaigns/{campaign}");
        var idleAtPause = atPause.GetProperty("progress").TryGetProperty("idle", out var idle) ? idle.GetInt32() : 0;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: paused with {atPause.GetProperty("progress").GetRawText()}");

        var alert = Assert.Single(moon.Get("/api/v1/audit?action=alert-anomaly-pause").EnumerateArray());
        Assert.Equal("moon", alert.GetProperty("replica").GetString());
        Assert.Contains($"campaign {campaign} paused: anomaly:", alert.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal("pause", atPause.GetProperty("control").GetString());

        // The attempts under way at the pause run to their end (complete or rolled back)...
        await Eventually.Holds(() => moon.Get($"/api/v1/campaigns/{campaign}").GetProperty("progress").EnumerateObject()
            .All(p => p.Name is "idle" or "complete" or "rolled-back"), "the attempts under way at the pause to finish", TimeSpan.FromSeconds(30));
        // ...and then the scheduler runs on: the canary's campaign, started now, is scheduled and completes.
        var canary = (await NodePair.PostAsync(moon.Api, "/api/v1/campaigns", new
        {
            name = "canary", artifactId = Sha, selector = new { sites = new[] { "canary" } }, approvalRequired = false,
        })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(moon.Api, $"/api/v1/campaigns/{canary}/start");
        await moon.WaitForCampaignAsync(canary, "completed", TimeSpan.FromSeconds(30));

        // Nothing left idle after the pause, though the scheduler had passes enough to start the canary.
        var after = moon.Get($"/api/v1/campaigns/{campaign}");
        Assert.Equal("paused", after.GetProperty("state").GetString());
        var progress = after.GetProperty("progress").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(idleAtPause, progress.GetValueOrDefault("idle"));
        var started = 8 - idleAtPause;
        // The pause came with the window's 4th outcome; at most the other concurrency slot was still busy then.
        Assert.InRange(started, Window, Window + Concurrency - 1);
        Assert.True(progress.GetValueOrDefault("rolled-back") >= 3, $"most applies fail: {after.GetProperty("progress").GetRawText()}");
        var idleServers = Enumerable.Range(1, 8).Select(i => moon.Get($"/api/v1/servers/a-{i}/state")).Where(s => s.GetProperty("phase").GetString() == "idle").ToArray();
        Assert.Equal(idleAtPause, idleServers.Length);
        Assert.All(idleServers, s => Assert.Equal(0, s.GetProperty("attempt").GetInt32()));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: done; {started} started, {idleAtPause} never left idle");
    }

    private static void Configure(Dictionary<string, string> s, string site, string apply)
    {
        s["Agent:Site"] = site;
        s["Agent:Driver"] = "hooks";
        s["Agent:RollbackDeadlineSeconds"] = "10";
        s["Agent:Hooks:TimeoutSeconds"] = "2";
        s["Agent:Hooks:Apply"] = $"sleep 0.2; {apply}";
        s["Agent:Hooks:SmokeTest"] = Hooks.Succeeds;
        s["Agent:Hooks:Rollback"] = Hooks.Succeeds;
    }
}
