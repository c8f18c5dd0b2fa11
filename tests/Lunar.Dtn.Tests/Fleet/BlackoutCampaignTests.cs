using System.Diagnostics;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>Earth, Moon and the link emulator as real processes, and real (simulated-driver) agents on the Moon.</summary>
[Collection(FleetCollection.Name)]
public sealed class BlackoutCampaignTests(ITestOutputHelper output)
{
    private static readonly TestArtifact Artifact = TestArtifact.Of(2048, seed: 2);
    private static string Sha => Artifact.Sha;

    /// <summary>The simulated driver fails (server, attempt) by a hash: at FailureRate 0.5, attempt 1 fails on these (smoke test on 02, apply on 04 and 05).</summary>
    private static readonly string[] Failing = ["msrv-02", "msrv-04", "msrv-05"];

    [Fact]
    public async Task EarthOutOfContact_ApprovedCampaignRunsToCompletionOnTheMoon_EarthGetsTheWholeHistoryWhenContactReturns()
    {
        var clock = Stopwatch.StartNew();
        await using var pair = await NodePair.StartAsync("100ms", agents: Enumerable.Range(1, 6).Select(i => $"msrv-{i:D2}"));
        var earthUrl = pair.EarthApi.BaseAddress!.ToString().TrimEnd('/');
        var moonUrl = pair.MoonApi.BaseAddress!.ToString().TrimEnd('/');
        await NodePair.PostAsync(pair.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "3.0.0", sha256 = Sha, sizeBytes = 2048 });
        var campaign = (await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = "far-side", artifactId = Sha, concurrencyLimit = 3, approvalRequired = true }))
            .GetProperty("id").GetString()!;
        var constellation = Path.Combine(pair.Dir, "c");
        await Task.WhenAll(
            ApproverCli.ApproveAsync(constellation, campaign, "alice", "flight-director", earthUrl),
            ApproverCli.ApproveAsync(constellation, campaign, "bob", "base-lead", earthUrl));
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{campaign}/start");
        // The Moon has the campaign, its approvals and its start: it would run it (it has no servers yet).
        await Eventually.Holds(() => Get(pair.MoonApi, $"/api/v1/campaigns/{campaign}") is { } c &&
            c.GetProperty("state").GetString() is "running" or "completed" && c.GetProperty("quorumHolds").GetBoolean(), $"the moon to have campaign {campaign} approved and started");
        await Artifact.UploadAsync(pair.MoonApi); // the mirror's copy, which the agents download
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: campaign {campaign} approved (CLI) and started on earth, running on the moon");

        await pair.Emulator.SendLineAsync("down");
        await pair.Emulator.WaitForLineAsync(l => l == "link down", "the emulator to cut the link");
        await Eventually.Holds(() => !Get(pair.EarthApi, "/api/v1/sync")!.Value.GetProperty("peers")[0].GetProperty("linkUp").GetBoolean(), "earth to see the link down");

        // Out of contact: the Moon's agents come up, register and are upgraded; some fail and roll back.
        var agents = Enumerable.Range(1, 6).Select(i => new FleetAgent($"msrv-{i:D2}", moonUrl, Path.Combine(pair.Dir, "c"), Path.Combine(pair.Dir, "agents"), s =>
        {
            s["Agent:Site"] = "farside";
            s["Agent:RedundancyGroup"] = $"rg-{(i - 1) / 2}";
            s["Agent:Simulated:ApplySeconds"] = "0.2";
            s["Agent:Simulated:FailureRate"] = "0.5";
            s["Agent:RollbackDeadlineSeconds"] = "10";
        })).ToArray();
        try
        {
            foreach (var a in agents) a.Start();
            await Eventually.Holds(() => Get(pair.MoonApi, $"/api/v1/campaigns/{campaign}")!.Value.GetProperty("state").GetString() == "completed" &&
                Get(pair.MoonApi, $"/api/v1/campaigns/{campaign}")!.Value.GetProperty("progress").EnumerateObject().Sum(p => p.Value.GetInt32()) == agents.Length,
                $"the moon to complete campaign {campaign} on its {agents.Length} servers during the blackout", TimeSpan.FromSeconds(60));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: completed on the moon, out of contact");
            // Earth has heard nothing of it.
            Assert.Equal("running", Get(pair.EarthApi, $"/api/v1/campaigns/{campaign}")!.Value.GetProperty("state").GetString());
            Assert.Null(Get(pair.EarthApi, "/api/v1/servers/msrv-01/state"));

            await pair.Emulator.SendLineAsync("up");
            await Eventually.Holds(() => pair.ConvergedAsync().Result, "earth and moon to converge after the blackout", TimeSpan.FromSeconds(60));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: converged after contact returned");

            var earthView = Get(pair.EarthApi, $"/api/v1/campaigns/{campaign}")!.Value;
            Assert.Equal("completed", earthView.GetProperty("state").GetString());
            Assert.Equal(Get(pair.MoonApi, $"/api/v1/campaigns/{campaign}")!.Value.GetRawText(), earthView.GetRawText());
            foreach (var a in agents)
            {
                var onEarth = Get(pair.EarthApi, $"/api/v1/servers/{a.ServerId}/state")!.Value;
                Assert.Equal(Get(pair.MoonApi, $"/api/v1/servers/{a.ServerId}/state")!.Value.GetRawText(), onEarth.GetRawText());
                Assert.Equal(Failing.Contains(a.ServerId) ? "rolled-back" : "complete", onEarth.GetProperty("phase").GetString());
                Assert.Equal("moon", onEarth.GetProperty("ownerNode").GetString());
            }
            var earthAudit = Get(pair.EarthApi, "/api/v1/audit")!.Value;
            Assert.Equal(Get(pair.MoonApi, "/api/v1/audit")!.Value.GetRawText(), earthAudit.GetRawText());
            var actions = earthAudit.EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString()!, Details: e.GetProperty("details").GetString()!)).ToArray();
            foreach (var a in agents) Assert.Contains(actions, e => e.Action == "agent-registered" && e.Details.StartsWith($"server {a.ServerId} at", StringComparison.Ordinal));
            foreach (var id in Failing)
            {
                Assert.Contains(actions, e => e.Action == "server-failed" && e.Details.StartsWith($"server {id} in campaign {campaign}", StringComparison.Ordinal));
                Assert.Contains(actions, e => e.Action == "server-rolled-back" && e.Details.StartsWith($"server {id} in campaign {campaign}", StringComparison.Ordinal));
            }
            Assert.Contains(actions, e => e.Action == "approval-approve");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: done; {actions.Length} audit entries identical on both");
        }
        finally
        {
            foreach (var a in agents) a.Dispose();
        }
    }

    /// <summary>GET as JSON; null on 404.</summary>
    private static System.Text.Json.JsonElement? Get(HttpClient api, string path)
    {
        using var response = api.GetAsync(path).GetAwaiter().GetResult();
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();
    }
}
