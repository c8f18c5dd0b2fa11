using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>An agent holding long polls open past its cap gets a 429 naming the cap; other agents are still served.</summary>
[Collection(AbuseCollection.Name)]
public sealed class LongPollCapTests
{
    private static async Task RegisterAsync(HttpClient agent, string id)
    {
        using var r = await agent.PostAsJsonAsync($"/api/v1/agents/{id}/report", new { phase = "idle", site = "peary", cluster = "c1", tier = 3 });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LongPollsOverThePerPrincipalCap_Are429NamingTheCap_OtherAgentsAreServed_AndSlotsComeBack()
    {
        await using var world = await AbuseWorld.StartAsync(viewers: 0, agents: ["srv-a", "srv-b"]);
        var polls = world.Node.Services.GetRequiredService<LongPolls>().Slots;
        Assert.Equal(2, polls.PerPrincipal);
        var a = world.As("srv-a");
        var b = world.As("srv-b");
        await RegisterAsync(a, "srv-a");
        await RegisterAsync(b, "srv-b");

        using var cancel = new CancellationTokenSource();
        var held = Enumerable.Range(0, 2).Select(_ => a.GetAsync("/api/v1/agents/srv-a/assignment?waitSeconds=60", cancel.Token)).ToArray();
        await Eventually.Holds(() => polls.HeldBy("srv-a") == 2, "srv-a's two long polls to be held");

        using (var third = await a.GetAsync("/api/v1/agents/srv-a/assignment?waitSeconds=60"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            var problem = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("at most 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains(LimitSettings.PollsPerPrincipalKey, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        // A poll that does not wait takes no slot; another agent's long poll is served.
        using (var now = await a.GetAsync("/api/v1/agents/srv-a/assignment?waitSeconds=0")) Assert.Equal(HttpStatusCode.NoContent, now.StatusCode);
        using (var other = await b.GetAsync("/api/v1/agents/srv-b/assignment?waitSeconds=1")) Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);

        // The agent gives up its polls: the slots come back, and it may poll again.
        cancel.Cancel();
        foreach (var t in held) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t);
        await Eventually.Holds(() => polls.HeldBy("srv-a") == 0, "srv-a's slots to be given back");
        using (var again = await a.GetAsync("/api/v1/agents/srv-a/assignment?waitSeconds=1")) Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [Fact]
    public async Task AnAgentReportWithAnOverLongDetail_Is400NamingTheField_AndChangesNothing()
    {
        await using var world = await AbuseWorld.StartAsync(viewers: 0, agents: ["srv-a"]);
        var a = world.As("srv-a");
        await RegisterAsync(a, "srv-a");
        var before = world.Node.Replica.Fingerprint();
        using var r = await a.PostAsJsonAsync("/api/v1/agents/srv-a/report", new { phase = "idle", site = "peary", detail = new string('!', 2001) });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("detail is 2,001 characters; at most 2,000", problem.GetProperty("errors").GetProperty("detail")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, world.Node.Replica.Fingerprint());
    }
}
