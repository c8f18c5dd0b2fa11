using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>GET /api/v1/sync on linked nodes, and what Earth refuses because it executes nothing.</summary>
public sealed class LinkedPairApiTests(LinkedPairFixture fixture) : IClassFixture<LinkedPairFixture>
{
    [Fact]
    public async Task GetSync_LinkedEarth_ShowsNodeVectorAndThePeerWithItsLinkUp()
    {
        var sync = await fixture.Earth.GetJsonAsync("/api/v1/sync");

        Assert.Equal("earth", sync.GetProperty("node").GetString());
        Assert.Equal("earth", sync.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Object, sync.GetProperty("vector").ValueKind);
        Assert.True(sync.TryGetProperty("now", out _));
        var peer = Assert.Single(sync.GetProperty("peers").EnumerateArray());
        Assert.Equal("moon", peer.GetProperty("id").GetString());
        Assert.True(peer.GetProperty("linkUp").GetBoolean(), peer.ToString());
        Assert.Equal(JsonValueKind.Object, peer.GetProperty("acknowledged").ValueKind);
        Assert.True(peer.GetProperty("deltasBehind").GetInt64() >= 0);
        foreach (var field in new[] { "controlDeltas", "statusDeltas", "queuedBundles" })
            Assert.True(peer.GetProperty("outbox").TryGetProperty(field, out _), $"outbox lacks {field}: {peer}");
        Assert.True(peer.GetProperty("sent").GetProperty("bundles").GetInt64() >= 0);
        Assert.True(peer.GetProperty("received").TryGetProperty("rejected", out _));
        Assert.True(peer.TryGetProperty("retransmissions", out _));
        Assert.True(peer.TryGetProperty("lastContact", out _));
    }

    [Fact]
    public async Task GetSync_ListeningMoon_ShowsTheEarthThatDialedIt()
    {
        var sync = await fixture.Moon.GetJsonAsync("/api/v1/sync");
        Assert.Equal("moon", sync.GetProperty("node").GetString());
        Assert.Equal("moon", sync.GetProperty("role").GetString());
        Assert.Contains(sync.GetProperty("peers").EnumerateArray(), p => p.GetProperty("id").GetString() == "earth" && p.GetProperty("linkUp").GetBoolean());
    }

    [Fact]
    public async Task EmergencyStop_OnEarth_Returns409Problem()
    {
        await ProblemAssert.PostRefusedAsync(fixture.Earth, "/api/v1/emergency-stop", null, 409, "Moon");
    }

    [Fact]
    public async Task AgentReport_OnEarth_Returns409Problem()
    {
        await ProblemAssert.PostRefusedAsync(fixture.Earth, "/api/v1/agents/srv-1/report", new { phase = "queued", site = "peary", tier = 1 }, 409, "executor");
    }

    [Fact]
    public async Task AgentAssignment_OnEarth_Returns409Problem()
    {
        await ProblemAssert.GetRefusedAsync(fixture.Earth, "/api/v1/agents/srv-1/assignment", 409, "executor");
    }
}
