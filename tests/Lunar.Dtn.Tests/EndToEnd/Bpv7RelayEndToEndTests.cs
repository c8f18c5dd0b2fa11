using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>Two of our nodes sync through a process that only forwards BPv7 bundles over TCPCLv4.</summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed class Bpv7RelayEndToEndTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public async Task NodesSyncThroughTheBpv7Forwarder_AcrossABlackout_AndConverge()
    {
        await using var trio = await Bpv7Trio.StartAsync();
        await NodePair.PostAsync(trio.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 });
        var c1 = (await NodePair.PostAsync(trio.EarthApi, "/api/v1/campaigns", new { name = "wave-1", artifactId = Sha, approvalRequired = false })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(trio.EarthApi, $"/api/v1/campaigns/{c1}/start");
        await Eventually.Holds(() => trio.MoonApi.GetAsync($"/api/v1/campaigns/{c1}").Result.IsSuccessStatusCode, $"campaign {c1} to reach the moon through the forwarder");
        await Eventually.Holds(() => trio.ConvergedAsync().Result, "convergence before the blackout");
        await trio.Forwarder.WaitForLineAsync(l => l.StartsWith("forwarded ipn:1.7 -> ipn:2.7", StringComparison.Ordinal), "the forwarder to carry an Earth bundle");
        await trio.Forwarder.WaitForLineAsync(l => l.StartsWith("forwarded ipn:2.7 -> ipn:1.7", StringComparison.Ordinal), "the forwarder to carry a Moon bundle");

        await trio.Forwarder.SendLineAsync("down");
        await trio.Forwarder.WaitForLineAsync(l => l == "link down", "the forwarder to black out");
        await Eventually.Holds(() => !NodePair.GetAsync(trio.EarthApi, "/api/v1/sync").Result.GetProperty("peers")[0].GetProperty("linkUp").GetBoolean(), "earth to see the relay down");

        // During the blackout: Earth pauses c1; the Moon resumes it and registers servers.
        await NodePair.PostAsync(trio.EarthApi, $"/api/v1/campaigns/{c1}/pause");
        await NodePair.PostAsync(trio.MoonApi, $"/api/v1/campaigns/{c1}/resume");
        for (var i = 0; i < 3; i++)
            await NodePair.PostAsync(trio.MoonApi, $"/api/v1/agents/srv-{i:D5}/report", new { phase = "idle", site = "alpha", cluster = "k1", tier = 3 });
        Assert.False(await trio.ConvergedAsync());

        await trio.Forwarder.SendLineAsync("up");
        await Eventually.Holds(() => trio.ConvergedAsync().Result, "earth and moon to converge through the forwarder after the blackout", TimeSpan.FromSeconds(120));
        foreach (var api in new[] { trio.EarthApi, trio.MoonApi })
        {
            Assert.Equal("paused", (await NodePair.GetAsync(api, $"/api/v1/campaigns/{c1}")).GetProperty("state").GetString());
            Assert.Equal(200, (int)(await api.GetAsync("/api/v1/servers/srv-00002/state")).StatusCode);
        }
    }

    [Fact]
    public async Task ForwarderThatAltersAPayloadByte_IsRefusedByTheSignature_AndChangesNothing()
    {
        await using var trio = await Bpv7Trio.StartAsync(corruptPayload: true);
        var before = (await NodePair.GetAsync(trio.MoonApi, "/api/v1/sync")).GetProperty("vector").GetRawText();
        await NodePair.PostAsync(trio.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 });
        await trio.Forwarder.WaitForLineAsync(l => l.Contains("with one payload byte flipped", StringComparison.Ordinal), "the forwarder to alter a bundle");
        await Eventually.Holds(() => RejectedByMoon(trio) >= 1, "the moon to refuse the altered bundle");
        await Eventually.Holds(() => LastRejectionByMoon(trio)?.StartsWith("BadSignature", StringComparison.Ordinal) == true,
            "the moon's last refusal from earth to be BadSignature");
        Assert.Equal(404, (int)(await trio.MoonApi.GetAsync($"/api/v1/artifacts/{Sha}")).StatusCode);
        Assert.Equal(before, (await NodePair.GetAsync(trio.MoonApi, "/api/v1/sync")).GetProperty("vector").GetRawText());
    }

    private static string? LastRejectionByMoon(Bpv7Trio trio) =>
        NodePair.GetAsync(trio.MoonApi, "/api/v1/sync").Result.GetProperty("peers").EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == "earth").GetProperty("received").GetProperty("lastRejection").GetString();

    private static long RejectedByMoon(Bpv7Trio trio)
    {
        var peers = NodePair.GetAsync(trio.MoonApi, "/api/v1/sync").Result.GetProperty("peers").EnumerateArray();
        return peers.Where(p => p.GetProperty("id").GetString() == "earth" && p.GetProperty("received").ValueKind == System.Text.Json.JsonValueKind.Object)
            .Sum(p => p.GetProperty("received").GetProperty("rejected").GetInt64());
    }
}
