using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Hosting.Dashboard;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// The operators' view at fleet scale, on a real Moon service (in-process <see cref="NodeHost"/>, Kestrel, LiteDB): a
/// campaign over every server with the servers spread over its phases; the CPU to build one dashboard snapshot, the time
/// of <c>GET /api/v1/dashboard</c>, and what the live feed (<c>/api/v1/events</c>) costs per connected client while agents
/// keep reporting — measured as the process's extra CPU with the clients connected over the same writes without them.
/// </summary>
public static class DashboardBenchmark
{
    private const int Samples = 15;
    private static readonly TimeSpan WriteTick = TimeSpan.FromMilliseconds(100);
    private static readonly byte[] EventMarker = Encoding.ASCII.GetBytes("event: snapshot");

    public static async Task<DashboardBenchReport> RunAsync(int servers, int clients, TimeSpan feed, int writesPerTick, TextWriter progress)
    {
        var root = Directory.CreateTempSubdirectory("lunar-bench-dashboard-");
        try
        {
            var keys = Path.Combine(root.FullName, "keys");
            Security.DevConstellation.Create(keys, ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")],
                // One viewer per feed client, as operators' consoles are: the node caps feed clients per principal.
                [("oscar", Security.Roles.Operator), .. Enumerable.Range(0, clients).Select(i => (Viewer(i), Security.Roles.Viewer))]);
            await using var moon = await BenchNode.StartAsync(NodeRole.Moon, "moon", Path.Combine(root.FullName, "moon"), keys, []).ConfigureAwait(false);
            using var http = moon.ClientAs("oscar", TimeSpan.FromSeconds(60));
            var campaign = await FillAsync(moon, http, servers).ConfigureAwait(false);
            progress.WriteLine($"moon holds {servers} servers in campaign {campaign}; measuring the snapshot");

            long bytes = 0;
            var gets = new List<double>();
            for (var i = 0; i < Samples + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                bytes = (await http.GetByteArrayAsync("/api/v1/dashboard").ConfigureAwait(false)).LongLength;
                if (i >= 2) gets.Add(watch.Elapsed.TotalMilliseconds);
            }
            var snapshotMs = Median(Enumerable.Range(0, Samples + 3).Select(_ => SnapshotCpuMs(moon)).Skip(3));

            progress.WriteLine($"writing {writesPerTick} status changes every {WriteTick.TotalMilliseconds:0} ms for {feed.TotalSeconds:0} s without, then with {clients} live-feed clients");
            var writer = new StatusWriter(moon.Replica, campaign, servers, writesPerTick);
            var alone = await CpuDuringAsync(() => writer.RunAsync(feed)).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            var counters = new long[clients];
            var readers = Enumerable.Range(0, clients).Select(i => Task.Run(() => ReadFeedAsync(moon, i, counters, stop.Token))).ToArray();
            await WaitForFirstEventsAsync(counters).ConfigureAwait(false);
            var before = counters.Sum();
            var with = await CpuDuringAsync(() => writer.RunAsync(feed)).ConfigureAwait(false);
            var events = counters.Sum() - before;
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(readers).ConfigureAwait(false);

            return new DashboardBenchReport
            {
                Servers = servers,
                Clients = clients,
                SnapshotCpuMs = Math.Round(snapshotMs, 3),
                GetMedianMs = Math.Round(Median(gets), 3),
                SnapshotJsonBytes = bytes,
                FeedSeconds = feed.TotalSeconds,
                WritesPerSecond = Math.Round(writesPerTick / WriteTick.TotalSeconds, 1),
                EventsPerClientPerSecond = Math.Round(events / (double)clients / feed.TotalSeconds, 2),
                CpuSecondsAlone = Math.Round(alone.TotalSeconds, 3),
                CpuSecondsWithClients = Math.Round(with.TotalSeconds, 3),
                FeedCpuPercentPerClient = Math.Round(Math.Max(0, (with - alone).TotalSeconds) / feed.TotalSeconds / clients * 100, 2),
            };
        }
        finally
        {
            try { root.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Viewer(int client) => $"viewer-{client:D2}";

    /// <summary>Servers registered, an artifact and a campaign made through the API, every server given a phase of it.</summary>
    private static async Task<string> FillAsync(BenchNode moon, HttpClient http, int servers)
    {
        moon.Replica.Write(Enumerable.Range(0, servers).Select(BenchFleet.Register).ToArray());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("bench-dashboard"u8));
        (await http.PostAsJsonAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = sha, sizeBytes = 104_857_600 }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        var created = await http.PostAsJsonAsync("/api/v1/campaigns", new { name = "bench-dashboard", artifactId = sha, batchSize = 300, concurrencyLimit = 30 }).ConfigureAwait(false);
        created.EnsureSuccessStatusCode();
        var campaign = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>().ConfigureAwait(false)).GetProperty("id").GetString()!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < servers; i++)
            moon.Replica.SetStatus(BenchFleet.ServerId(i), (previous, seq) => new ServerStatus(campaign, 1, seq, StatusWriter.PhaseOf(i), now, "2.3.0", null, previous?.RollbackCount ?? 0));
        return campaign;
    }

    private static double SnapshotCpuMs(BenchNode moon)
    {
        var s = moon.Services;
        var start = ThreadCpuClock.Now();
        var wall = Stopwatch.StartNew();
        _ = DashboardSnapshot.Of(moon.Replica, s.GetRequiredService<NodeIdentity>(), s.GetRequiredService<NodeLinks>(), s.GetRequiredService<QuorumPolicy>());
        return start is { } t0 && ThreadCpuClock.Now() is { } t1 ? (t1 - t0).TotalMilliseconds : wall.Elapsed.TotalMilliseconds;
    }

    private static async Task<TimeSpan> CpuDuringAsync(Func<Task> work)
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        await work().ConfigureAwait(false);
        self.Refresh();
        return self.TotalProcessorTime - before;
    }

    /// <summary>One client of the live feed: counts the snapshot events it receives (without parsing them) until stopped.</summary>
    private static async Task ReadFeedAsync(BenchNode node, int index, long[] counters, CancellationToken stop)
    {
        using var http = node.ClientAs(Viewer(index), Timeout.InfiniteTimeSpan);
        try
        {
            using var response = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
            await using var stream = await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false);
            var buffer = new byte[1 << 16];
            var carry = 0;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(carry), stop).ConfigureAwait(false);
                if (read == 0) return;
                var span = buffer.AsSpan(0, carry + read);
                for (var at = span.IndexOf(EventMarker); at >= 0; at = span.IndexOf(EventMarker))
                {
                    Interlocked.Increment(ref counters[index]);
                    span = span[(at + EventMarker.Length)..];
                }
                // Keep the tail that might hold the start of a marker split across reads.
                carry = Math.Min(span.Length, EventMarker.Length - 1);
                span[^carry..].CopyTo(buffer);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task WaitForFirstEventsAsync(long[] counters)
    {
        var deadline = Stopwatch.StartNew();
        while (Enumerable.Range(0, counters.Length).Any(i => Interlocked.Read(ref counters[i]) == 0))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the live-feed clients did not receive their first snapshot within 30 s");
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }

    /// <summary>Agents reporting: every tick, the next servers move on one phase.</summary>
    private sealed class StatusWriter(Replica replica, string campaign, int servers, int perTick)
    {
        private static readonly UpgradePhase[] Cycle =
            [UpgradePhase.Queued, UpgradePhase.PreCheck, UpgradePhase.Downloading, UpgradePhase.Verifying, UpgradePhase.Applying,
             UpgradePhase.SmokeTest, UpgradePhase.Validated, UpgradePhase.Complete];
        private int _next;
        private int _round;

        public static UpgradePhase PhaseOf(int i) => Cycle[i % Cycle.Length];

        public async Task RunAsync(TimeSpan duration)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                for (var k = 0; k < perTick; k++)
                {
                    var i = _next;
                    var phase = Cycle[(i + _round + 1) % Cycle.Length];
                    replica.SetStatus(BenchFleet.ServerId(i), (previous, seq) => new ServerStatus(campaign, 1, seq, phase, now, "2.3.0", null, previous?.RollbackCount ?? 0));
                    if (++_next == servers) (_next, _round) = (0, _round + 1);
                }
                await Task.Delay(WriteTick).ConfigureAwait(false);
            }
        }
    }
}
