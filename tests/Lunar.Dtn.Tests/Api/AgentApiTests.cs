using System.Net;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>The agent protocol on a real Moon node: registration, long-polled assignments, checked reports.</summary>
public sealed class AgentApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    private async Task RegisterAsync(string id, string site = "peary", string cluster = "c1", int tier = 3) =>
        Assert.Equal(200, (await _node.PostAsync($"/api/v1/agents/{id}/report", new { phase = "idle", site, cluster, tier })).Status);

    /// <summary>A running campaign that targets only <paramref name="site"/>, and the assignment its executor gives <paramref name="server"/>.</summary>
    private async Task<(string Campaign, int Attempt)> AssignedAsync(string server, string site)
    {
        await RegisterAsync(server, site);
        var (status, body) = await _node.PostAsync("/api/v1/campaigns", new { name = "agents", artifactId = MoonNodeFixture.Sha, approvalRequired = false, selector = new { sites = new[] { site } } });
        Assert.Equal(201, status);
        var campaign = body.GetProperty("id").GetString()!;
        Assert.Equal(200, (await _node.PostAsync($"/api/v1/campaigns/{campaign}/start", null)).Status);
        using var response = await _node.Http.GetAsync($"/api/v1/agents/{server}/assignment?waitSeconds=20");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var a = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(campaign, a.GetProperty("campaignId").GetString());
        Assert.Equal("queued", a.GetProperty("phase").GetString());
        Assert.Equal(MoonNodeFixture.Sha, a.GetProperty("sha256").GetString());
        return (campaign, a.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task Register_FirstContact_RecordsTheServerOwnedByThisNode_AndAuditsIt()
    {
        await RegisterAsync("srv-reg-1", "shackleton", "c7", 2);
        var state = await _node.GetJsonAsync("/api/v1/servers/srv-reg-1/state");
        Assert.Equal("idle", state.GetProperty("phase").GetString());
        Assert.Equal("shackleton", state.GetProperty("site").GetString());
        Assert.Equal("c7", state.GetProperty("cluster").GetString());
        Assert.Equal(2, state.GetProperty("tier").GetInt32());
        Assert.Equal("moon", state.GetProperty("ownerNode").GetString());
        Assert.Contains(state.GetProperty("recentLog").EnumerateArray(), a => a.GetProperty("action").GetString() == "agent-registered");
    }

    [Fact]
    public async Task Register_RepeatingOnlyItsSite_KeepsClusterAndTier_AndSaysDuplicate()
    {
        await RegisterAsync("srv-reg-3", "peary", "c2", 1);
        var before = _node.Replica.Fingerprint();
        var (status, body) = await _node.PostAsync("/api/v1/agents/srv-reg-3/report", new { phase = "idle", site = "peary" });
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(before, _node.Replica.Fingerprint());
        var state = await _node.GetJsonAsync("/api/v1/servers/srv-reg-3/state");
        Assert.Equal("c2", state.GetProperty("cluster").GetString());
        Assert.Equal(1, state.GetProperty("tier").GetInt32());
    }

    [Fact]
    public async Task Report_UnknownAgent_Returns404Problem()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-ghost/report", new { phase = "pre-check", campaignId = "c", attempt = 1 }, 404, "srv-ghost", "register");
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/servers/srv-ghost/state", 404, "srv-ghost");
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/agents/srv-ghost/assignment", 404, "srv-ghost");
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
    public async Task Report_MissingPhase_Returns400Problem() =>
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-no-phase/report", new { site = "peary" }, 400, "phase");

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task Register_TierOutOfRange_Returns400Problem(int tier) =>
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-bad-tier/report", new { phase = "idle", site = "peary", tier }, 400, $"tier {tier}");

    [Fact]
    public async Task Report_EmptyOrMalformedBody_Returns400Problem()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-x/report", null, 400, "report");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/agents/srv-x/report", "{\"phase\": [", 400, "JSON");
    }

    [Fact]
    public async Task Assignment_NothingToDo_Is204_AndBadWaitIs400()
    {
        await RegisterAsync("srv-idle", "nowhere");
        using var response = await _node.Http.GetAsync("/api/v1/agents/srv-idle/assignment?waitSeconds=0");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/agents/srv-idle/assignment?waitSeconds=61", 400, "waitSeconds");
    }

    [Fact]
    public async Task Report_InOrder_IsAccepted_RetryIsDuplicate_ReplayAndOutOfOrderAre409_AndChangeNothing()
    {
        var (campaign, attempt) = await AssignedAsync("srv-flow", "flow-site");
        var url = "/api/v1/agents/srv-flow/report";
        Assert.Equal(200, (await _node.PostAsync(url, new { campaignId = campaign, attempt, phase = "pre-check", seq = 1 })).Status);
        Assert.Equal(200, (await _node.PostAsync(url, new { campaignId = campaign, attempt, phase = "applying", seq = 2 })).Status);

        var before = _node.Replica.Fingerprint();
        var (status, retry) = await _node.PostAsync(url, new { campaignId = campaign, attempt, phase = "applying", seq = 2 });
        Assert.Equal(200, status);
        Assert.True(retry.GetProperty("duplicate").GetBoolean());
        Assert.Equal(before, _node.Replica.Fingerprint());

        var replay = await ProblemAssert.PostRefusedAsync(_node, url, new { campaignId = campaign, attempt, phase = "pre-check", seq = 1 }, 409, "replayed");
        Assert.Equal("applying", replay.GetProperty("phase").GetString());
        await ProblemAssert.PostRefusedAsync(_node, url, new { campaignId = campaign, attempt, phase = "downloading", seq = 3 }, 409, "out of order", "downloading");
        await ProblemAssert.PostRefusedAsync(_node, url, new { campaignId = campaign, attempt = attempt + 1, phase = "smoke-test", seq = 3 }, 409, $"attempt {attempt + 1}");
        await ProblemAssert.PostRefusedAsync(_node, url, new { campaignId = campaign, attempt, phase = "queued", seq = 3 }, 409, "executor sets it");

        Assert.Equal(200, (await _node.PostAsync(url, new { campaignId = campaign, attempt, phase = "smoke-test", seq = 3 })).Status);
        Assert.Equal(200, (await _node.PostAsync(url, new { campaignId = campaign, attempt, phase = "complete", seq = 4, version = "2.4.0" })).Status);
        var state = await _node.GetJsonAsync("/api/v1/servers/srv-flow/state");
        Assert.Equal("complete", state.GetProperty("phase").GetString());
        Assert.Equal("completed", (await _node.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("state").GetString());
        await ProblemAssert.PostRefusedAsync(_node, url, new { campaignId = campaign, attempt, phase = "rolling-back", seq = 5 }, 409, "already complete");
    }
}
