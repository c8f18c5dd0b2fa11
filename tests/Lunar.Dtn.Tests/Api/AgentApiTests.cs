using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

public sealed class AgentApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    [Fact]
    public async Task Report_FirstContactWithSite_RegistersServer_ThenStateShowsIt()
    {
        var (status, body) = await _node.PostAsync("/api/v1/agents/srv-reg-1/report",
            new { phase = "downloading", campaignId = "camp-x", attempt = 2, version = "2.3.9", site = "shackleton", cluster = "c7", tier = 2 });
        Assert.Equal(200, status);
        Assert.Equal("downloading", body.GetProperty("phase").GetString());

        var state = await _node.GetJsonAsync("/api/v1/servers/srv-reg-1/state");
        Assert.Equal("srv-reg-1", state.GetProperty("id").GetString());
        Assert.Equal("camp-x", state.GetProperty("campaignId").GetString());
        Assert.Equal(2, state.GetProperty("attempt").GetInt32());
        Assert.Equal("downloading", state.GetProperty("phase").GetString());
        Assert.Equal("shackleton", state.GetProperty("site").GetString());
        Assert.Equal("c7", state.GetProperty("cluster").GetString());
        Assert.Equal(2, state.GetProperty("tier").GetInt32());
        Assert.Equal("moon", state.GetProperty("ownerNode").GetString());
        Assert.Contains(state.GetProperty("recentLog").EnumerateArray(), a => a.GetProperty("action").GetString() == "agent-registered");
    }

    [Fact]
    public async Task Report_KnownAgentWithoutSite_UpdatesPhaseAndKeepsInventory()
    {
        Assert.Equal(200, (await _node.PostAsync("/api/v1/agents/srv-reg-2/report", new { phase = "queued", site = "peary", cluster = "c1", tier = 1 })).Status);
        Assert.Equal(200, (await _node.PostAsync("/api/v1/agents/srv-reg-2/report", new { phase = "pre-check" })).Status);

        var state = await _node.GetJsonAsync("/api/v1/servers/srv-reg-2/state");
        Assert.Equal("pre-check", state.GetProperty("phase").GetString());
        Assert.Equal("peary", state.GetProperty("site").GetString());
        Assert.Equal(1, state.GetProperty("tier").GetInt32());
    }

    [Fact]
    public async Task Report_KnownAgentRepeatingOnlyItsSite_KeepsClusterAndTier()
    {
        Assert.Equal(200, (await _node.PostAsync("/api/v1/agents/srv-reg-3/report", new { phase = "queued", site = "peary", cluster = "c2", tier = 1 })).Status);
        Assert.Equal(200, (await _node.PostAsync("/api/v1/agents/srv-reg-3/report", new { phase = "queued", site = "peary" })).Status);

        var state = await _node.GetJsonAsync("/api/v1/servers/srv-reg-3/state");
        Assert.Equal("c2", state.GetProperty("cluster").GetString());
        Assert.Equal(1, state.GetProperty("tier").GetInt32());
    }

    [Fact]
    public async Task Report_UnknownAgentWithoutSite_Returns404Problem()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-ghost/report", new { phase = "queued" }, 404, "srv-ghost", "site");
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/servers/srv-ghost/state", 404, "srv-ghost");
    }

    [Theory]
    [InlineData("installing")]
    [InlineData("PreCheck")]
    [InlineData("")]
    public async Task Report_UnknownPhase_Returns400ProblemListingValidPhases(string phase)
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-bad-phase/report", new { phase, site = "peary" }, 400,
            "idle", "queued", "pre-check", "downloading", "smoke-test", "rolled-back", "timed-out");
    }

    [Fact]
    public async Task Report_MissingPhase_Returns400Problem()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-no-phase/report", new { site = "peary" }, 400, "phase");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task Report_TierOutOfRange_Returns400Problem(int tier)
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-bad-tier/report", new { phase = "queued", site = "peary", tier }, 400, $"tier {tier}");
    }

    [Fact]
    public async Task Report_EmptyOrMalformedBody_Returns400Problem()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-x/report", null, 400, "report");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-x/report", "{\"phase\": [", 400, "JSON");
    }

    [Fact]
    public async Task Assignment_KnownAgent_Returns200_UnknownReturns404Problem()
    {
        Assert.Equal(200, (await _node.PostAsync("/api/v1/agents/srv-assigned/report", new { phase = "idle", site = "peary", tier = 3 })).Status);

        var assignment = await _node.GetJsonAsync("/api/v1/agents/srv-assigned/assignment");
        Assert.Equal("srv-assigned", assignment.GetProperty("serverId").GetString());
        Assert.True(assignment.TryGetProperty("assignment", out _));

        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/agents/srv-stranger/assignment", 404, "srv-stranger");
    }
}
