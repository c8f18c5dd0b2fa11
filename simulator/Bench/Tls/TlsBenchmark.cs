using System.Diagnostics;
using System.Net.Http.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Simulator.Bench.Tls;

/// <summary>
/// What mutual TLS costs the agent protocol, measured, not assumed: a real Moon service (TLS 1.3, client certificates, the
/// access gate) and a plain-HTTP host over the same replica and executor (<see cref="PlainAgentHost"/>) take the same
/// agent reports from the same number of keep-alive connections, one after the other in one run; then a fleet of agents
/// reconnects at once, each with its own certificate. Every loop is bounded in count and time; only 127.0.0.1.
/// </summary>
public static class TlsBenchmark
{
    /// <summary>At most this many requests per client per run, whatever the duration.</summary>
    private const int MaxRequestsPerClient = 200_000;

    /// <summary>Handshakes in flight at once while the fleet reconnects (what a listen backlog absorbs).</summary>
    private const int ReconnectConcurrency = 256;

    public static async Task<TlsBenchReport> RunAsync(int clients, TimeSpan duration, int reconnectAgents, TextWriter progress)
    {
        var dir = Directory.CreateTempSubdirectory("lunar-bench-tls").FullName;
        try
        {
            var ids = Enumerable.Range(1, Math.Max(clients, reconnectAgents)).Select(i => $"srv-{i:00000}").ToArray();
            progress.WriteLine($"issuing certificates for {ids.Length:N0} agents ...");
            var issue = Stopwatch.StartNew();
            DevConstellation.Create(Path.Combine(dir, "c"), ["moon"], [], [("bench-admin", Roles.Admin)], ids);
            issue.Stop();
            var c = Path.Combine(dir, "c");
            var app = NodeHost.Build(
                ["--Node:Id=moon", $"--Node:DataDir={Path.Combine(dir, "moon")}", "--Urls=https://127.0.0.1:0",
                 $"--Node:Constellation={c}/constellation.json", $"--Node:KeyFile={c}/moon.key"],
                NodeRole.Moon, progress, TimeProvider.System) ?? throw new InvalidOperationException("the Moon service did not build");
            await using (app)
            {
                await app.StartAsync().ConfigureAwait(false);
                var url = new Uri(app.Urls.First());
                await using var plain = await PlainAgentHost.StartAsync(app.Services).ConfigureAwait(false);
                var agents = ids.Take(clients).ToArray();
                var tlsClients = agents.Select(id => ClientCredentials.FromFolder(c, id).CreateClient(url)).ToArray();
                var plainClients = agents.Select(_ => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = plain.Url }).ToArray();
                foreach (var (client, id) in tlsClients.Zip(agents)) await ReportAsync(client, id).ConfigureAwait(false);

                progress.WriteLine("warming up both hosts ...");
                await LoadAsync(plainClients, agents, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                await LoadAsync(tlsClients, agents, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                progress.WriteLine($"plain HTTP, {clients} clients, {duration.TotalSeconds:0} s ...");
                var plainFigures = await LoadAsync(plainClients, agents, duration).ConfigureAwait(false);
                progress.WriteLine($"mutual TLS, {clients} clients, {duration.TotalSeconds:0} s ...");
                var tlsFigures = await LoadAsync(tlsClients, agents, duration).ConfigureAwait(false);
                foreach (var h in tlsClients.Concat(plainClients)) h.Dispose();

                progress.WriteLine($"{reconnectAgents:N0} agents reconnecting at once ...");
                var (wall, cpu, failures) = await ReconnectAsync(c, url, ids.Take(reconnectAgents).ToArray()).ConfigureAwait(false);
                await app.StopAsync().ConfigureAwait(false);
                return new TlsBenchReport
                {
                    Clients = clients, Seconds = duration.TotalSeconds, Plain = plainFigures, Tls = tlsFigures, ReconnectAgents = reconnectAgents,
                    IssueSeconds = issue.Elapsed.TotalSeconds, ReconnectWallSeconds = wall.TotalSeconds, ReconnectCpuSeconds = cpu.TotalSeconds, ReconnectFailures = failures,
                };
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The report an idle agent repeats (its registration): the protocol's cheapest request, so TLS's share of its cost is the largest.</summary>
    private static async Task<bool> ReportAsync(HttpClient client, string id)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/agents/{id}/report", new { phase = "idle", site = "peary", cluster = "c1", tier = 3 }).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    private static async Task<LoadFigures> LoadAsync(HttpClient[] clients, string[] agents, TimeSpan duration)
    {
        var latencies = clients.Select(_ => new List<double>(4096)).ToArray();
        long errors = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, i) =>
        {
            for (var n = 0; n < MaxRequestsPerClient && started.Elapsed < duration; n++)
            {
                var t = Stopwatch.GetTimestamp();
                var ok = await ReportAsync(client, agents[i]).ConfigureAwait(false);
                latencies[i].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (!ok) Interlocked.Increment(ref errors);
            }
        })).ConfigureAwait(false);
        return LoadFigures.Of(latencies, errors, started.Elapsed);
    }

    /// <summary>Every agent: a new connection, a full TLS 1.3 handshake with its own certificate, and one assignment poll.</summary>
    private static async Task<(TimeSpan Wall, TimeSpan Cpu, int Failures)> ReconnectAsync(string dir, Uri url, string[] agents)
    {
        var credentials = agents.Select(id => ClientCredentials.FromFolder(dir, id)).ToArray();
        using var gate = new SemaphoreSlim(ReconnectConcurrency);
        var failures = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(credentials.Select(async (cred, i) =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                using var client = cred.CreateClient(url, TimeSpan.FromSeconds(60));
                using var response = await client.GetAsync($"/api/v1/agents/{agents[i]}/assignment?waitSeconds=0").ConfigureAwait(false);
                // 204 (nothing to do) or 404 (never registered): either way the certificate was accepted.
                if ((int)response.StatusCode is not (204 or 404)) Interlocked.Increment(ref failures);
            }
            catch (HttpRequestException) { Interlocked.Increment(ref failures); }
            finally { gate.Release(); }
        })).ConfigureAwait(false);
        wall.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        foreach (var c in credentials) c.Dispose();
        return (wall.Elapsed, cpu, failures);
    }
}
