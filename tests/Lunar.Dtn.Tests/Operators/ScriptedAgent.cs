using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// One server's agent played by the test over the real agent protocol (HTTP to the executor node), so a test decides
/// exactly when each report arrives: register, take the assignment, report phases one at a time.
/// </summary>
public sealed class ScriptedAgent(HttpClient moon, string serverId)
{
    public static readonly string[] SuccessPath = ["pre-check", "downloading", "verifying", "applying", "smoke-test", "validated", "complete"];
    public static readonly string[] FailurePath = ["pre-check", "downloading", "verifying", "applying", "failed", "rolling-back", "rolled-back"];

    private int _seq;

    public string ServerId { get; } = serverId;
    public string? CampaignId { get; private set; }
    public int Attempt { get; private set; }

    public async Task RegisterAsync(string site, int tier, string cluster = "k1")
    {
        using var r = await moon.PostAsJsonAsync($"/api/v1/agents/{ServerId}/report", new { phase = "idle", site, cluster, tier, redundancyGroup = ServerId });
        Assert.True(r.IsSuccessStatusCode, $"registering {ServerId}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>Long-polls until the executor assigns work; fails naming the server when none comes.</summary>
    public async Task TakeAssignmentAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var r = await moon.GetAsync($"/api/v1/agents/{ServerId}/assignment?waitSeconds=5");
            if (r.StatusCode != HttpStatusCode.OK) continue;
            var a = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            CampaignId = a.GetProperty("campaignId").GetString();
            Attempt = a.GetProperty("attempt").GetInt32();
            _seq = 0;
            return;
        }
        throw new TimeoutException($"no assignment for {ServerId} within {timeout}");
    }

    public async Task ReportAsync(string phase)
    {
        using var r = await moon.PostAsJsonAsync($"/api/v1/agents/{ServerId}/report", new { campaignId = CampaignId, attempt = Attempt, phase, seq = ++_seq, version = "2.4.0" });
        Assert.True(r.IsSuccessStatusCode, $"{ServerId} reporting {phase}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    public async Task RunAsync(IEnumerable<string> phases)
    {
        foreach (var p in phases) await ReportAsync(p);
    }
}
