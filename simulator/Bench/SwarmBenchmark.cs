using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lunar.Dtn.Simulator.Demo;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// The private swarm with real processes on 127.0.0.1: a Moon node (its mirror's seeder capped) and N agent processes
/// in five sites, one campaign for a random artifact of the given size. Measures the mirror's egress (its seeder's
/// counter plus the agents' HTTP fallback counters) in full copies, the bytes peers gave each other, and the time
/// from the campaign's start to completed.
/// </summary>
public static partial class SwarmBenchmark
{
    public static async Task<SwarmBenchReport> RunAsync(int agentCount, long size, double mirrorMbps, TimeSpan timeout, TextWriter progress)
    {
        var dir = Directory.CreateTempSubdirectory("lunar-bench-swarm-").FullName;
        var processes = new List<NodeProcess>();
        try
        {
            // Every agent has its own certificate (and the operator ada hers), from one development constellation.
            var keys = Path.Combine(dir, "keys");
            var ids = Enumerable.Range(0, agentCount).Select(n => $"bench-{n:D3}").ToArray();
            Lunar.Dtn.Security.DevConstellation.Create(keys, ["moon"], [], [("ada", Lunar.Dtn.Security.Roles.Admin)], ids);
            var moon = NodeProcess.Start("Lunar.Dtn.MoonNode",
            [
                "--Node:Id=moon", $"--Node:DataDir={Path.Combine(dir, "moon")}", "--Urls=https://127.0.0.1:0", "--Executor:TickSeconds=0.2",
                $"--Node:Constellation={Path.Combine(keys, Lunar.Dtn.Security.DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(keys, "moon.key")}",
                "--Executor:Timeouts:downloading=3600", "--Executor:Timeouts:queued=3600", "--Executor:Timeouts:pre-check=600",
                "--Executor:Timeouts:verifying=600", $"--Swarm:MirrorUploadMbps={mirrorMbps.ToString(CultureInfo.InvariantCulture)}",
            ]);
            processes.Add(moon);
            using var api = Lunar.Dtn.Security.Tls.ClientCredentials.FromFolder(keys, "ada")
                .CreateClient(new Uri(await UrlOfAsync(moon, "the moon's API")), TimeSpan.FromMinutes(5));

            var agents = new List<NodeProcess>();
            for (var i = 0; i < agentCount; i += 10)
            {
                for (var n = i; n < Math.Min(i + 10, agentCount); n++)
                {
                    var agent = NodeProcess.Start("Lunar.Dtn.Agent",
                    [
                        $"--Agent:ServerId={ids[n]}", $"--Agent:NodeUrl={api.BaseAddress!.ToString().TrimEnd('/')}", $"--Agent:DataDir={Path.Combine(dir, $"agent-{n:D3}")}",
                        $"--Agent:Certificate={Lunar.Dtn.Security.Tls.CertificateFiles.CertificatePath(keys, ids[n])}",
                        $"--Agent:Key={Lunar.Dtn.Security.Tls.CertificateFiles.KeyPath(keys, ids[n])}",
                        $"--Agent:CaCertificate={Path.Combine(keys, Lunar.Dtn.Security.DevConstellation.AuthorityFile)}",
                        $"--Agent:Site=site-{n % 5}", $"--Agent:RedundancyGroup=rg-{n}", "--Agent:PollSeconds=1", "--Agent:Simulated:ApplySeconds=0.1",
                        "--Agent:Simulated:FailureRate=0", "--Agent:StallSeconds=30",
                    ]);
                    agents.Add(agent);
                    processes.Add(agent);
                }
                await WaitAsync(async () => await RegisteredAsync(api) >= agents.Count, $"{agents.Count} agents to register", TimeSpan.FromMinutes(10)).ConfigureAwait(false);
                progress.WriteLine($"  {agents.Count} agents registered");
            }

            var file = Path.Combine(dir, "artifact.bin");
            string sha;
            await using (var f = File.Create(file))
            {
                var chunk = new byte[1 << 20];
                for (long left = size; left > 0; left -= chunk.Length)
                {
                    RandomNumberGenerator.Fill(chunk);
                    await f.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left))).ConfigureAwait(false);
                }
            }
            await using (var f = File.OpenRead(file)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(f).ConfigureAwait(false));
            (await api.PostAsJsonAsync("/api/v1/artifacts", new { name = "lunar-os", version = "9.0.0", sha256 = sha, sizeBytes = size }).ConfigureAwait(false)).EnsureSuccessStatusCode();
            await using (var f = File.OpenRead(file))
            {
                using var body = new StreamContent(f);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                (await api.PutAsync($"/api/v1/artifacts/{sha}/content", body).ConfigureAwait(false)).EnsureSuccessStatusCode();
            }
            var created = await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "bench-swarm", artifactId = sha, batchSize = agentCount, concurrencyLimit = agentCount, approvalRequired = false }).ConfigureAwait(false);
            var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("id").GetString()!;
            progress.WriteLine($"  artifact {sha[..12]}… ({size:N0} bytes) on the mirror; starting campaign {campaign}");
            (await api.PostAsync($"/api/v1/campaigns/{campaign}/start", null).ConfigureAwait(false)).EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            var completed = true;
            try
            {
                await WaitAsync(async () =>
                {
                    var c = await api.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaign}").ConfigureAwait(false);
                    return c.GetProperty("state").GetString() == "completed";
                }, "the campaign to complete", timeout).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                progress.WriteLine($"  {e.Message}");
                completed = false;
            }
            var seconds = Math.Round(clock.Elapsed.TotalSeconds, 1);

            long peers = 0, http = 0;
            using var scrape = new HttpClient();
            foreach (var agent in agents)
            {
                var metrics = await scrape.GetStringAsync(await UrlOfAsync(agent, "an agent's endpoint") + "/metrics").ConfigureAwait(false);
                peers += Counter(metrics, "lunar_agent_artifact_bytes_total{source=\"peer\"}");
                http += Counter(metrics, "lunar_agent_artifact_mirror_http_bytes_total");
            }
            var swarm = await api.GetFromJsonAsync<JsonElement>("/api/v1/swarm").ConfigureAwait(false);
            var everyoneComplete = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaign}").ConfigureAwait(false))
                .GetProperty("progress").TryGetProperty("complete", out var done) && done.GetInt32() == agentCount;
            return new SwarmBenchReport
            {
                Agents = agentCount, ArtifactBytes = size, MirrorUploadMbps = mirrorMbps, Completed = completed && everyoneComplete, CampaignSeconds = seconds,
                MirrorSeederBytes = swarm.GetProperty("uploadedBytes").GetInt64(), MirrorHttpBytes = http, PeerBytes = peers,
            };
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> UrlOfAsync(NodeProcess p, string what)
    {
        // The moon serves HTTPS; an agent's own /metrics is plain HTTP on loopback.
        var line = await p.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), what, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        var at = line.IndexOf("https://", StringComparison.Ordinal);
        return line[(at >= 0 ? at : line.IndexOf("http://", StringComparison.Ordinal))..].Trim();
    }

    private static async Task<int> RegisteredAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=agent-registered").ConfigureAwait(false)).GetArrayLength();

    private static long Counter(string metrics, string name)
    {
        var m = Regex.Match(metrics, Regex.Escape(name) + @" (\d+)");
        return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(500).ConfigureAwait(false);
        }
    }
}
