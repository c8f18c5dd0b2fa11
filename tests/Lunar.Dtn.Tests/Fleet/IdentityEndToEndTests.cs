using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// Identity and access with real processes, as a mission would run it: Earth and Moon through the link emulator (the
/// link inside mutual TLS), a campaign created by an operator on Earth and approved by two approvers with the
/// <c>approve</c> CLI, 30 agents each with its own certificate upgrading the Moon's servers, then a revocation of one
/// agent and one operator that reaches the Moon by the link and takes effect there during a later blackout.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class IdentityEndToEndTests(ITestOutputHelper output)
{
    private const int Servers = 30;
    private static readonly TestArtifact Artifact = TestArtifact.Of(4096, seed: 14);

    [Fact]
    public async Task OperatorCampaign_TwoApprovers_ThirtyAgentsWithOwnCertificates_RevocationCrossesTheLinkAndHoldsInTheBlackout()
    {
        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(1, Servers).Select(i => $"isrv-{i:D2}").ToArray();
        await using var pair = await NodePair.StartAsync("100ms", agents: ids);
        var c = Path.Combine(pair.Dir, "c");
        var earthUrl = pair.EarthApi.BaseAddress!.ToString().TrimEnd('/');
        var moonUrl = pair.MoonApi.BaseAddress!.ToString().TrimEnd('/');
        using var oscarOnEarth = pair.ClientAs(pair.EarthApi, "oscar");
        using var oscarOnMoon = pair.ClientAs(pair.MoonApi, "oscar");
        using var vicOnMoon = pair.ClientAs(pair.MoonApi, "vic");

        // The operator, not the administrator, does the campaign's work on Earth.
        await NodePair.PostAsync(oscarOnEarth, "/api/v1/artifacts", new { name = "lunar-os", version = "3.1.0", sha256 = Artifact.Sha, sizeBytes = Artifact.Size });
        var campaign = (await NodePair.PostAsync(oscarOnEarth, "/api/v1/campaigns",
            new { name = "identity", artifactId = Artifact.Sha, concurrencyLimit = 10, batchSize = 10, approvalRequired = true })).GetProperty("id").GetString()!;
        await Task.WhenAll(
            ApproverCli.ApproveAsync(c, campaign, "alice", "flight-director", earthUrl),
            ApproverCli.ApproveAsync(c, campaign, "bob", "base-lead", earthUrl));
        await NodePair.PostAsync(oscarOnEarth, $"/api/v1/campaigns/{campaign}/start");
        await Eventually.Holds(() => Get(vicOnMoon, $"/api/v1/campaigns/{campaign}") is { } v && v.GetProperty("quorumHolds").GetBoolean()
            && v.GetProperty("state").GetString() is "running" or "completed", $"the moon to hold campaign {campaign} approved and started", TimeSpan.FromSeconds(60));
        await Artifact.UploadAsync(oscarOnMoon);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: campaign {campaign} created by oscar, approved by alice and bob, running on the moon");

        var agents = ids.Select(id => new FleetAgent(id, moonUrl, c, Path.Combine(pair.Dir, "agents"), s =>
        {
            s["Agent:Site"] = "shackleton";
            s["Agent:Simulated:ApplySeconds"] = "0.1";
        })).ToArray();
        try
        {
            foreach (var a in agents) a.Start();
            await Eventually.Holds(() => Get(vicOnMoon, $"/api/v1/campaigns/{campaign}") is { } v && v.GetProperty("state").GetString() == "completed"
                && v.GetProperty("progress").EnumerateObject().Sum(p => p.Value.GetInt32()) == Servers,
                $"the moon to complete campaign {campaign} on its {Servers} servers", TimeSpan.FromSeconds(150));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {Servers} agents, each with its own certificate, upgraded their servers");

            // The audit names the authenticated principals, on both sides of the link.
            await Eventually.Holds(() => pair.ConvergedAsync().Result, "earth and moon to converge", TimeSpan.FromSeconds(60));
            var audit = Get(pair.EarthApi, $"/api/v1/audit?campaign={campaign}")!.Value.EnumerateArray().ToArray();
            Assert.Contains(audit, e => e.GetProperty("action").GetString() == "campaign-defined" && e.GetProperty("actor").GetString() == "oscar");
            Assert.Contains(audit, e => e.GetProperty("action").GetString() == "campaign-run" && e.GetProperty("actor").GetString() == "oscar");

            // Revoke one agent and one operator on Earth; the new version crosses the link to the Moon.
            var current = Constellation.Load(Path.Combine(c, DevConstellation.FileName));
            using (var root = NodeKey.Load(Path.Combine(c, "root.key")))
            {
                string Tls(string id) => current.AllPrincipals.Single(p => p.Id == id).Tls!;
                var next = (current with { Version = current.Version + 1, RevokedKeys = [.. current.RevokedKeys, Tls("oscar"), Tls(ids[^1])], Signature = "" }).SignWith(root);
                using var posted = await pair.EarthApi.PostAsync("/api/v1/constellation", new StringContent(next.ToJson(), System.Text.Encoding.UTF8, "application/json"));
                Assert.True(posted.StatusCode == HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
            }
            await Eventually.Holds(() => Get(vicOnMoon, "/api/v1/constellation")!.Value.GetProperty("version").GetInt32() == 2,
                "the revoking constellation version to reach the moon by the link", TimeSpan.FromSeconds(60));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: constellation version 2 (oscar and {ids[^1]} revoked) reached the moon by the link");

            // A later blackout: the Moon cannot ask anyone, and the revocation holds.
            await pair.Emulator.SendLineAsync("down");
            await pair.Emulator.WaitForLineAsync(l => l == "link down", "the emulator to cut the link");
            await Eventually.Holds(() => !Get(vicOnMoon, "/api/v1/sync")!.Value.GetProperty("peers")[0].GetProperty("linkUp").GetBoolean(), "the moon to see the link down");

            using var revokedAgent = pair.ClientAs(pair.MoonApi, ids[^1]);
            var agentAnswer = await revokedAgent.GetAsync($"/api/v1/agents/{ids[^1]}/assignment?waitSeconds=0");
            Assert.Equal(HttpStatusCode.Unauthorized, agentAnswer.StatusCode);
            Assert.Contains("revoked", await agentAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var oscarAgain = pair.ClientAs(pair.MoonApi, "oscar");
            var operatorAnswer = await oscarAgain.PostAsJsonAsync("/api/v1/emergency-stop", new { });
            Assert.Equal(HttpStatusCode.Unauthorized, operatorAnswer.StatusCode);
            Assert.Contains("revoked in constellation version 2", await operatorAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Everyone else goes on being served in the blackout.
            using var genuineAgent = pair.ClientAs(pair.MoonApi, ids[0]);
            Assert.True((await genuineAgent.GetAsync($"/api/v1/agents/{ids[0]}/assignment?waitSeconds=0")).IsSuccessStatusCode);
            Assert.Equal(HttpStatusCode.OK, (await vicOnMoon.GetAsync($"/api/v1/campaigns/{campaign}")).StatusCode);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: in the blackout the moon refuses the revoked agent and operator and serves the rest");
        }
        finally
        {
            foreach (var a in agents) a.Dispose();
        }
    }

    /// <summary>GET as JSON; null on 404.</summary>
    private static JsonElement? Get(HttpClient api, string path)
    {
        using var response = api.GetAsync(path).GetAwaiter().GetResult();
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();
    }
}
