using System.Globalization;
using System.Text.RegularExpressions;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Fleet;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>
/// The private swarm at fleet scale: a real Moon node whose mirror uploads at most 8 Mbit/s and 20 real agent processes
/// on 127.0.0.1 in two sites. Every agent must end with the verified artifact, and the agents' own counters
/// (lunar_agent_artifact_bytes_total by source) must show that the fleet's peers, not the mirror, delivered most bytes.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed partial class SwarmFleetTests(ITestOutputHelper output)
{
    private const int Agents = 20;
    private static readonly TestArtifact Artifact = TestArtifact.Of(4_000_000, seed: 20);

    [Fact]
    public async Task TwentyAgents_MirrorUploadCapped_EveryAgentVerifiesTheArtifact_AndPeersDeliverMostBytes()
    {
        await using var moon = await FleetMoon.StartAsync(["--Executor:TickSeconds=0.2", "--Swarm:MirrorUploadMbps=8"],
            Enumerable.Range(1, Agents).Select(n => $"swarm-{n:D2}"));
        for (var i = 1; i <= Agents; i++)
        {
            var n = i;
            moon.AddAgent($"swarm-{n:D2}", s =>
            {
                s["Agent:Site"] = n % 2 == 0 ? "north" : "south";
                s["Agent:RedundancyGroup"] = $"rg-{n}";
                s["Agent:Simulated:ApplySeconds"] = "0.1";
                s["Agent:Simulated:FailureRate"] = "0";
                s["Agent:StallSeconds"] = "30";
            });
        }
        await moon.StartAgentsAsync(wave: 10, TimeSpan.FromSeconds(120));
        await NodePair.PostAsync(moon.Api, "/api/v1/artifacts", new { name = "lunar-os", version = "5.0.0", sha256 = Artifact.Sha, sizeBytes = Artifact.Size });
        await Artifact.UploadAsync(moon.Api);
        var campaign = (await NodePair.PostAsync(moon.Api, "/api/v1/campaigns", new
        {
            name = "swarm-wave", artifactId = Artifact.Sha, batchSize = Agents, concurrencyLimit = Agents, approvalRequired = false,
        })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(moon.Api, $"/api/v1/campaigns/{campaign}/start");

        await moon.WaitForCampaignAsync(campaign, "completed", TimeSpan.FromSeconds(180));

        long fromPeers = 0, fromMirror = 0;
        using var http = new HttpClient();
        foreach (var agent in moon.Agents)
        {
            var state = moon.Get($"/api/v1/servers/{agent.ServerId}/state");
            Assert.True(state.GetProperty("phase").GetString() == "complete",
                $"{agent.ServerId} is {state.GetProperty("phase")}: {state.GetProperty("detail")}\n{await agent.TailAsync(30)}");
            var line = await agent.Process.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), $"{agent.ServerId}'s HTTP endpoint");
            var metrics = await http.GetStringAsync(line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim() + "/metrics");
            long peer = Bytes(metrics, "peer"), mirror = Bytes(metrics, "mirror");
            output.WriteLine($"{agent.ServerId}: {peer} bytes from peers, {mirror} from the mirror");
            Assert.True(peer + mirror >= Artifact.Size, $"{agent.ServerId} received {peer + mirror} bytes of a {Artifact.Size}-byte artifact");
            fromPeers += peer;
            fromMirror += mirror;
        }
        var mirrorUploaded = moon.Get("/api/v1/swarm").GetProperty("uploadedBytes").GetInt64();
        var share = (double)fromPeers / (fromPeers + fromMirror);
        output.WriteLine($"fleet: {fromPeers} bytes from peers, {fromMirror} from the mirror ({share:P1} from peers); mirror seeder uploaded {mirrorUploaded} bytes = {(double)mirrorUploaded / Artifact.Size:0.00} copies");
        Assert.True(share > 0.5, $"peers delivered {share:P1} of the bytes; most should come from peers");
        Assert.True(fromMirror < 5L * Artifact.Size, $"the mirror sent {fromMirror} bytes, {(double)fromMirror / Artifact.Size:0.0} copies, for {Agents} agents");
    }

    private static long Bytes(string metrics, string source)
    {
        var m = Regex.Match(metrics, $"lunar_agent_artifact_bytes_total\\{{source=\"{source}\"\\}} (\\d+)");
        Assert.True(m.Success, $"no {source} byte counter in the agent's metrics:\n{metrics}");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
