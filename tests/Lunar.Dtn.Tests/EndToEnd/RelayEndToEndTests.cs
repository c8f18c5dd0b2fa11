using System.Diagnostics;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>Earth and Moon services as real processes, through the link emulator, across a blackout.</summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed class RelayEndToEndTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Blackout_EarthPausesWhileMoonResumes_BothConvergeToPausedAndAuditTheConflict()
    {
        await using var pair = await NodePair.StartAsync($"{OneWay.TotalMilliseconds}ms", agents: Enumerable.Range(0, 5).Select(i => $"srv-{i:D5}"));
        await NodePair.PostAsync(pair.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 });
        var c1 = (await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = "wave-1", artifactId = Sha, approvalRequired = false })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{c1}/start");
        var created = Stopwatch.StartNew();
        await Eventually.Holds(() => pair.MoonApi.GetAsync($"/api/v1/campaigns/{c1}").Result.IsSuccessStatusCode, $"campaign {c1} to reach the moon");
        Assert.True(created.Elapsed >= OneWay, $"the campaign reached the moon after {created.Elapsed}, sooner than the one-way delay {OneWay}");
        await Eventually.Holds(() => pair.ConvergedAsync().Result, "convergence before the blackout");

        await pair.Emulator.SendLineAsync("down");
        await pair.Emulator.WaitForLineAsync(l => l == "link down", "the emulator to cut the link");
        await Eventually.Holds(() => !NodePair.GetAsync(pair.EarthApi, "/api/v1/sync").Result.GetProperty("peers")[0].GetProperty("linkUp").GetBoolean(), "earth to see the link down");

        // During the blackout: Earth pauses c1 and creates and pauses c2; the Moon resumes c1 and records status.
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{c1}/pause");
        var c2 = (await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = "wave-2", artifactId = Sha })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{c2}/pause");
        await NodePair.PostAsync(pair.MoonApi, $"/api/v1/campaigns/{c1}/resume");
        for (var i = 0; i < 5; i++)
            await NodePair.PostAsync(pair.MoonApi, $"/api/v1/agents/srv-{i:D5}/report", new { phase = "idle", site = "alpha", cluster = "k1", tier = 3 });
        Assert.Equal("running", (await NodePair.GetAsync(pair.MoonApi, $"/api/v1/campaigns/{c1}")).GetProperty("state").GetString());
        // The Moon's executor goes on without Earth: it queues the registered servers for the running campaign.
        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, "/api/v1/servers/srv-00004/state").Result.GetProperty("phase").GetString() == "queued",
            "the moon's executor to queue srv-00004 during the blackout");

        await pair.Emulator.SendLineAsync("up");
        await Eventually.Holds(() => pair.ConvergedAsync().Result, "earth and moon to converge after the blackout", TimeSpan.FromSeconds(60));

        foreach (var api in new[] { pair.EarthApi, pair.MoonApi })
        {
            Assert.Equal("paused", (await NodePair.GetAsync(api, $"/api/v1/campaigns/{c1}")).GetProperty("state").GetString());
            Assert.Equal("paused", (await NodePair.GetAsync(api, $"/api/v1/campaigns/{c2}")).GetProperty("state").GetString());
            var conflicts = await NodePair.GetAsync(api, "/api/v1/audit?action=control-conflict");
            var replicas = conflicts.EnumerateArray().Select(e => e.GetProperty("replica").GetString()).ToHashSet();
            Assert.Contains("earth", replicas);
            Assert.Contains("moon", replicas);
            Assert.Equal("queued", (await NodePair.GetAsync(api, "/api/v1/servers/srv-00004/state")).GetProperty("phase").GetString());
        }
    }
}
