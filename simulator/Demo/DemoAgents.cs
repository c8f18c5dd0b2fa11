using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Lunar.Dtn.Simulator.Demo;

/// <summary>
/// A few hundred simulated agents inside the demo process, each speaking the real agent protocol over HTTP to the
/// Moon node with its own certificate (srv-0000.pem, ... from the demo's development constellation): register, long-poll,
/// report every phase (quickly), and roll back a few failures.
/// </summary>
public sealed class DemoAgents : IDisposable
{
    private static readonly string[] Path = ["pre-check", "downloading", "verifying", "applying", "smoke-test", "validated", "complete"];
    private readonly Dictionary<string, HttpClient> _http;
    private readonly int _count;
    private readonly int _seed;

    /// <param name="credentials">The folder with each agent's P.pem and the CA (ca.crt).</param>
    public DemoAgents(Uri moon, string credentials, int count, int seed)
    {
        _http = Ids(count).ToDictionary(id => id, id => Lunar.Dtn.Security.Tls.ClientCredentials.FromFolder(credentials, id).CreateClient(moon, TimeSpan.FromSeconds(30)));
        _count = count;
        _seed = seed;
    }

    public int Count => _count;

    /// <summary>The server ids of <paramref name="count"/> demo agents: srv-0000, srv-0001, ...</summary>
    public static IEnumerable<string> Ids(int count) => Enumerable.Range(0, count).Select(i => $"srv-{i:D4}");

    public void Dispose()
    {
        foreach (var c in _http.Values) c.Dispose();
    }

    public async Task RegisterAllAsync(CancellationToken ct)
    {
        for (var i = 0; i < _count; i++)
        {
            var tier = i < _count / 20 ? 3 : i % 10 == 0 ? 1 : i % 10 < 4 ? 2 : 3;
            await PostAsync($"srv-{i:D4}", new
            {
                phase = "idle", site = new[] { "shackleton", "peary", "malapert" }[i % 3], cluster = $"k{i % 8}", tier,
                redundancyGroup = $"t{tier}-g{i / 30}-{i % 3}", staging = i < _count / 20,
            }, ct).ConfigureAwait(false);
        }
    }

    public Task RunAsync(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, _count).Select(i => Task.Run(() => AgentLoopAsync($"srv-{i:D4}", new Random(_seed * 7919 + i), ct), ct)));

    private async Task AgentLoopAsync(string id, Random random, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var response = await _http[id].GetAsync($"/api/v1/agents/{id}/assignment?waitSeconds=10", ct).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                var a = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
                if (a.GetProperty("phase").GetString() != "queued") { await Task.Delay(500, ct).ConfigureAwait(false); continue; }
                await UpgradeAsync(id, a.GetProperty("campaignId").GetString()!, a.GetProperty("attempt").GetInt32(), a.GetProperty("version").GetString(), random, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException) { await Task.Delay(1000, ct).ConfigureAwait(false); }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
        }
    }

    private async Task UpgradeAsync(string id, string campaign, int attempt, string? version, Random random, CancellationToken ct)
    {
        var fails = random.NextDouble() < 0.03;
        var seq = 0;
        foreach (var phase in Path)
        {
            if (fails && phase == "smoke-test")
            {
                await PostAsync(id, new { campaignId = campaign, attempt, phase = "failed", detail = "smoke test failed", seq = ++seq }, ct).ConfigureAwait(false);
                await PostAsync(id, new { campaignId = campaign, attempt, phase = "rolling-back", seq = ++seq }, ct).ConfigureAwait(false);
                await Task.Delay(random.Next(300, 1200), ct).ConfigureAwait(false);
                await PostAsync(id, new { campaignId = campaign, attempt, phase = "rolled-back", seq = ++seq }, ct).ConfigureAwait(false);
                return;
            }
            await PostAsync(id, new { campaignId = campaign, attempt, phase, version, seq = ++seq }, ct).ConfigureAwait(false);
            await Task.Delay(random.Next(150, phase == "applying" ? 2500 : 700), ct).ConfigureAwait(false);
        }
    }

    private async Task PostAsync(string id, object body, CancellationToken ct)
    {
        // Retry until the node answers: it may be busy; a 4xx answer is final.
        for (var attempt = 0; attempt < 20 && !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                using var r = await _http[id].PostAsJsonAsync($"/api/v1/agents/{id}/report", body, ct).ConfigureAwait(false);
                if ((int)r.StatusCode < 500) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(500, ct).ConfigureAwait(false);
        }
    }
}
