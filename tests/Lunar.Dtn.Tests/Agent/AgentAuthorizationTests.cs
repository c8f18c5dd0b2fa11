using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Agent;

/// <summary>
/// The node's rules for agents: an agent certificate acts only for its own server id (report, assignment, registration),
/// what a server is (site, cluster, tier, redundancy group, staging) is fixed at its first registration, and nobody
/// without a certificate reaches the agent endpoints. Each refusal changes nothing, and the node keeps serving the rest.
/// </summary>
public sealed class AgentAuthorizationTests
{
    private static readonly string[] Agents = ["srv-a", "srv-b", "stg-1"];

    private static Task<InProcessNode> MoonAsync() => InProcessNode.StartAsync(NodeRole.Moon, "moon", agents: Agents);

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string path, object body)
    {
        using var r = await http.PostAsJsonAsync(path, body);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    private static object Registration(int tier = 3, string site = "shackleton", string cluster = "k1", string group = "rg-1", bool staging = false) =>
        new { phase = "idle", site, cluster, tier, redundancyGroup = group, staging };

    private static async Task<HttpStatusCode> StateAsync(InProcessNode moon, string server) =>
        (await moon.Http.GetAsync($"/api/v1/servers/{server}/state")).StatusCode;

    [Fact]
    public async Task AgentReportingForAnotherServer_Is403_AndThatServerStaysUnknown()
    {
        await using var moon = await MoonAsync();
        using var a = moon.ClientAs("srv-a");

        var (register, registerBody) = await PostAsync(a, "/api/v1/agents/srv-b/report", Registration());
        var (progress, _) = await PostAsync(a, "/api/v1/agents/srv-b/report", new { campaignId = "c", attempt = 1, phase = "complete", seq = 1 });
        using var poll = await a.GetAsync("/api/v1/agents/srv-b/assignment?waitSeconds=0");

        Assert.Equal(HttpStatusCode.Forbidden, register);
        Assert.Contains("agent 'srv-a' may act only for its own server, not for 'srv-b'", registerBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, progress);
        Assert.Equal(HttpStatusCode.Forbidden, poll.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await StateAsync(moon, "srv-b"));
        // Its own server it may register.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(a, "/api/v1/agents/srv-a/report", Registration())).Status);
    }

    [Fact]
    public async Task AgentReadsOnlyTheCampaignOfItsOwnCurrentAttempt()
    {
        await using var moon = await MoonAsync();
        using var a = moon.ClientAs("srv-a");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(a, "/api/v1/agents/srv-a/report", Registration())).Status);

        // An agent has no viewer role: the campaign list and records are an operator's, not its own server's.
        using (var campaigns = await a.GetAsync("/api/v1/campaigns"))
            Assert.Equal(HttpStatusCode.Forbidden, campaigns.StatusCode);
        using (var notItsOwn = await a.GetAsync("/api/v1/agents/srv-a/campaigns/camp-unknown"))
            Assert.Equal(HttpStatusCode.NotFound, notItsOwn.StatusCode);
        using (var other = await a.GetAsync("/api/v1/agents/srv-b/campaigns/camp-unknown"))
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task OperatorCertificate_OnTheAgentEndpoints_Is403()
    {
        await using var moon = await MoonAsync();
        using var admin = moon.ClientAs("ada");

        var (status, body) = await PostAsync(admin, "/api/v1/agents/srv-a/report", Registration());

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("only the agent of server 'srv-a'", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StateAsync(moon, "srv-a"));
    }

    [Fact]
    public async Task AgentChangingItsTier_IsRefusedNamingTheField_AndTheTierStaysUnchanged()
    {
        await using var moon = await MoonAsync();
        using var a = moon.ClientAs("srv-a");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(a, "/api/v1/agents/srv-a/report", Registration(tier: 1))).Status);

        var (status, body) = await PostAsync(a, "/api/v1/agents/srv-a/report", Registration(tier: 3));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("tier 1 (the report says 3)", body, StringComparison.Ordinal);
        Assert.Contains("fixed at its first registration", body, StringComparison.Ordinal);
        var state = await moon.GetJsonAsync("/api/v1/servers/srv-a/state");
        Assert.Equal(1, state.GetProperty("tier").GetInt32());
        // The same registration again is still fine (an agent restart): a duplicate.
        var (again, againBody) = await PostAsync(a, "/api/v1/agents/srv-a/report", Registration(tier: 1));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.True(JsonDocument.Parse(againBody).RootElement.GetProperty("duplicate").GetBoolean());
    }

    [Theory]
    [InlineData("site", "site 'shackleton' (the report says 'peary')")]
    [InlineData("cluster", "cluster 'k1' (the report says 'k9')")]
    [InlineData("redundancyGroup", "redundancy group 'rg-1' (the report says 'rg-9')")]
    [InlineData("staging", "staging false (the report says true)")]
    public async Task AgentChangingWhatItsServerIs_IsRefusedNamingTheField(string field, string reason)
    {
        await using var moon = await MoonAsync();
        using var a = moon.ClientAs("srv-a");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(a, "/api/v1/agents/srv-a/report", Registration())).Status);

        var changed = field switch
        {
            "site" => Registration(site: "peary"),
            "cluster" => Registration(cluster: "k9"),
            "redundancyGroup" => Registration(group: "rg-9"),
            _ => Registration(staging: true),
        };
        var (status, body) = await PostAsync(a, "/api/v1/agents/srv-a/report", changed);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        var state = await moon.GetJsonAsync("/api/v1/servers/srv-a/state");
        Assert.Equal(("shackleton", "k1", 3, "rg-1", false), (state.GetProperty("site").GetString(), state.GetProperty("cluster").GetString(),
            state.GetProperty("tier").GetInt32(), state.GetProperty("redundancyGroup").GetString(), state.GetProperty("staging").GetBoolean()));
    }

    [Fact]
    public async Task ForgedReportsForAStagingServer_WithoutACertificate_Are401_AndChangeNothing()
    {
        await using var moon = await MoonAsync();
        using (var staging = moon.ClientAs("stg-1"))
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(staging, "/api/v1/agents/stg-1/report", Registration(staging: true, group: "rg-stg"))).Status);
        using var anonymous = moon.Anonymous();

        foreach (var (phase, seq) in new[] { ("pre-check", 1), ("downloading", 2), ("verifying", 3), ("applying", 4), ("smoke-test", 5), ("validated", 6), ("complete", 7) })
        {
            var (status, body) = await PostAsync(anonymous, "/api/v1/agents/stg-1/report", new { campaignId = "camp-1", attempt = 1, phase, seq, version = "9.9.9" });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("no client certificate", body, StringComparison.Ordinal);
        }
        var (reRegister, _) = await PostAsync(anonymous, "/api/v1/agents/stg-1/report", Registration(tier: 1, staging: false));
        Assert.Equal(HttpStatusCode.Unauthorized, reRegister);
        using (var poll = await anonymous.GetAsync("/api/v1/agents/stg-1/assignment?waitSeconds=0"))
            Assert.Equal(HttpStatusCode.Unauthorized, poll.StatusCode);

        var state = await moon.GetJsonAsync("/api/v1/servers/stg-1/state");
        Assert.Equal(("idle", (string?)null, true, 3), (state.GetProperty("phase").GetString(), state.GetProperty("version").GetString(),
            state.GetProperty("staging").GetBoolean(), state.GetProperty("tier").GetInt32()));
    }
}
