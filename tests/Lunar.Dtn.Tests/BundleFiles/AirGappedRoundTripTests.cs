using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Fleet;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>
/// The whole air-gapped loop with real processes: Earth approves a Tier 1 campaign → TCP link → Moon → USB file made on
/// the running Moon → the air-gapped Tier 1 node executes it on its own agents → USB file → Moon → link → Earth sees
/// every server's final state and the audit trail.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class AirGappedRoundTripTests(ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly TestArtifact Artifact = TestArtifact.Of(64 * 1024, 61);
    private static string Sha => Artifact.Sha;
    private readonly TempDir _dir = new("lunar-airgap");
    private readonly List<ChildProcess> _nodes = [];
    private readonly List<FleetAgent> _agents = [];

    [Fact]
    public async Task Tier1Campaign_TravelsByStickToTheAirGappedNode_RunsThere_AndItsOutcomeReachesEarth()
    {
        var c = _dir.Sub("c");
        var servers = new[] { "t1-01", "t1-02", "t1-03", "t1-04" };
        TestCredentials.Create(c, ["earth", "moon", "tier1-alpha"], [("alice", "flight-director"), ("bob", "base-lead")], servers);
        var (moon, moonApi) = await StartAsync("moon", c, "--Link:Listen=127.0.0.1:0", "--Node:FilePeers=tier1-alpha");
        var linkLine = await moon.WaitForLineAsync(l => l.Contains("Link listening on", StringComparison.Ordinal), "the moon's link listener");
        var (_, earthApi) = await StartAsync("earth", c, $"--Link:Peers=moon={linkLine[(linkLine.LastIndexOf(' ') + 1)..].Trim()}");
        var (_, tier1Api) = await StartAsync("tier1-alpha", c, "--Node:AirGapped=true", "--Node:FilePeers=moon");
        var (earthUrl, moonUrl, tier1Url) = (Url(earthApi), Url(moonApi), Url(tier1Api));

        // The Tier 1 cluster's own agents register with the Tier 1 node: two redundancy groups of two.
        foreach (var (id, i) in servers.Select((s, i) => (s, i)))
            _agents.Add(new FleetAgent(id, tier1Url, c, _dir.Sub("agents"), s =>
            {
                s["Agent:Site"] = "alpha";
                s["Agent:Cluster"] = "tier1-alpha";
                s["Agent:Tier"] = "1";
                s["Agent:RedundancyGroup"] = $"rg-{i / 2}";
                s["Agent:Simulated:ApplySeconds"] = "0.3";
                s["Agent:Simulated:FailureRate"] = "0";
            }));
        foreach (var a in _agents) a.Start();
        await Eventually.Holds(() => Audit(tier1Api, "agent-registered").Length == servers.Length, "the tier 1 agents to register with the tier 1 node", TimeSpan.FromSeconds(60));

        // Earth plans and approves (the real approve verb) a Tier 1 campaign and starts it; the link brings it to the Moon.
        // The artifact's content is uploaded on Earth and crosses the link into the Moon's mirror; the stick carries it on.
        await NodePair.PostAsync(earthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "4.0.0", sha256 = Sha, sizeBytes = Artifact.Size });
        await Artifact.UploadAsync(earthApi);
        var campaign = (await NodePair.PostAsync(earthApi, "/api/v1/campaigns", new { name = "tier1-kernel", artifactId = Sha, selector = new { tiers = new[] { 1 } }, concurrencyLimit = 4 }))
            .GetProperty("id").GetString()!;
        await ApproverCli.ApproveAsync(c, campaign, "alice", "flight-director", earthUrl);
        await ApproverCli.ApproveAsync(c, campaign, "bob", "base-lead", earthUrl);
        await NodePair.PostAsync(earthApi, $"/api/v1/campaigns/{campaign}/start");
        await Eventually.Holds(() => Get(moonApi, $"/api/v1/campaigns/{campaign}") is { } m && m.GetProperty("quorumHolds").GetBoolean() &&
            m.GetProperty("state").GetString() == "running", $"the moon to hold campaign {campaign} approved and started");
        Assert.Null(Get(tier1Api, $"/api/v1/campaigns/{campaign}"));
        await Eventually.Holds(() => moonApi.GetAsync($"/api/v1/artifacts/{Sha}/content").Result.IsSuccessStatusCode, "the artifact's content to reach the moon's mirror over the link");

        // A stick made on the running Moon, carried through the airlock, imported into the running Tier 1 node.
        var inbound = _dir.Sub("moon-to-tier1.ldbf");
        await BundleCli.ExpectAsync(["export", "--out", inbound, "--for", "tier1-alpha", "--node", moonUrl, .. AsAdmin(c)]);
        var imported = await BundleCli.ExpectAsync(["import", inbound, "--node", tier1Url, .. AsAdmin(c)]);
        output.WriteLine(imported.Out);
        Assert.Contains("applied ", imported.Out, StringComparison.Ordinal);
        Assert.Contains("stored  artifact lunar-os 4.0.0", imported.Out, StringComparison.Ordinal);
        Assert.Contains("noted   moon holds lunar-os 4.0.0", imported.Out, StringComparison.Ordinal);
        Assert.Equal(Artifact.Content, await tier1Api.GetByteArrayAsync($"/api/v1/artifacts/{Sha}/content"));

        // The Tier 1 node runs it on its own servers, one per redundancy group at a time.
        using var stop = new CancellationTokenSource();
        var watch = new ServiceWatch(tier1Api, servers);
        var watching = watch.RunAsync(stop.Token);
        await Eventually.Holds(() => Get(tier1Api, $"/api/v1/campaigns/{campaign}")!.Value.GetProperty("state").GetString() == "completed",
            $"the tier 1 node to complete campaign {campaign} on its servers", TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await watching;
        var intervals = watch.Intervals(campaign);
        Assert.Equal(servers.Length, intervals.Count);
        Assert.Empty(ServiceWatch.GroupOverlaps(intervals));

        // Status carried back: a stick from the running Tier 1 node into the running Moon, which the link takes to Earth.
        var outbound = _dir.Sub("tier1-to-moon.ldbf");
        await BundleCli.ExpectAsync(["export", "--out", outbound, "--for", "moon", "--node", tier1Url, .. AsAdmin(c)]);
        var back = await BundleCli.ExpectAsync(["import", outbound, "--node", moonUrl, .. AsAdmin(c)]);
        // The Moon's stick said it holds the artifact: the way back does not carry the content again.
        Assert.DoesNotContain(" artifact ", back.Out, StringComparison.Ordinal);
        Assert.True(new FileInfo(outbound).Length < Artifact.Size, $"the stick back to the moon is {new FileInfo(outbound).Length} bytes: it carried the {Artifact.Size}-byte artifact again");
        await Eventually.Holds(() => Get(earthApi, $"/api/v1/campaigns/{campaign}")!.Value.GetProperty("state").GetString() == "completed",
            $"earth to see campaign {campaign} completed", TimeSpan.FromSeconds(60));
        foreach (var id in servers)
        {
            var onEarth = Get(earthApi, $"/api/v1/servers/{id}/state")!.Value;
            Assert.Equal("complete", onEarth.GetProperty("phase").GetString());
            Assert.Equal("tier1-alpha", onEarth.GetProperty("ownerNode").GetString());
            Assert.Equal(Get(tier1Api, $"/api/v1/servers/{id}/state")!.Value.GetRawText(), onEarth.GetRawText());
        }
        var tier1Trail = Audit(tier1Api, null).Where(e => e.GetProperty("replica").GetString() == "tier1-alpha").Select(e => e.GetRawText()).ToArray();
        var earthTrail = Audit(earthApi, null).Where(e => e.GetProperty("replica").GetString() == "tier1-alpha").Select(e => e.GetRawText()).ToArray();
        Assert.NotEmpty(tier1Trail);
        Assert.Equal(tier1Trail, earthTrail);
        Assert.Equal(servers.Length, Audit(earthApi, "agent-registered").Count(e => e.GetProperty("replica").GetString() == "tier1-alpha"));
    }

    private async Task<(ChildProcess Node, HttpClient Api)> StartAsync(string id, string c, params string[] extra)
    {
        var project = id == "earth" ? "Lunar.Dtn.EarthNode" : "Lunar.Dtn.MoonNode";
        var node = ChildProcess.Start(project,
        [
            $"--Node:Id={id}", $"--Node:DataDir={_dir.Sub(id)}", "--Urls=https://127.0.0.1:0",
            $"--Node:Constellation={c}/constellation.json", $"--Node:KeyFile={c}/{id}.key", .. extra,
        ]);
        _nodes.Add(node);
        var line = await node.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), $"{id}'s HTTP API");
        return (node, TestCredentials.Client(c, "ada", TestCredentials.UrlIn(line)));
    }

    /// <summary>Bundle files through a node's API are an admin's business: ada's certificate, checked against the constellation's CA.</summary>
    private static string[] AsAdmin(string c) => ["--cert", Path.Combine(c, "ada.pem"), "--ca", Path.Combine(c, DevConstellation.AuthorityFile)];

    private static string Url(HttpClient api) => api.BaseAddress!.ToString().TrimEnd('/');

    private static JsonElement[] Audit(HttpClient api, string? action) =>
        Get(api, "/api/v1/audit" + (action is null ? "" : "?action=" + action))!.Value.EnumerateArray().ToArray();

    /// <summary>GET as JSON; null on 404.</summary>
    private static JsonElement? Get(HttpClient api, string path)
    {
        using var response = api.GetAsync(path).GetAwaiter().GetResult();
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var a in _agents) a.Dispose();
        foreach (var n in _nodes) n.Dispose();
        await Task.CompletedTask;
        _dir.Dispose();
    }
}
