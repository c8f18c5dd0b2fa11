using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Security;
using Lunar.Dtn.Simulator.LinkEmulator;

namespace Lunar.Dtn.Simulator.Demo;

/// <summary>
/// <c>simulator demo</c>: Earth and Moon node processes on this machine, the link emulator between them (1.28 s one way,
/// a bandwidth cap, one blackout), a few hundred simulated agents on the Moon, and a real campaign with approvals;
/// live progress, both nodes' URLs, and a final summary. Ends by itself and removes what it started.
/// </summary>
public static class DemoCommand
{
    private const string Artifact = "4f5d2c9e1b7a3f6d8c0e2a4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f";

    public static Command Create()
    {
        var agents = new Option<int>("--agents") { Description = "Simulated agents on the Moon", DefaultValueFactory = _ => 300 };
        var blackout = new Option<int>("--blackout-seconds") { Description = "Length of the blackout", DefaultValueFactory = _ => 20 };
        var command = new Command("demo", "Earth and Moon services, the link emulator with a blackout, simulated agents, a real campaign through the blackout") { agents, blackout };
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(agents), parse.GetValue(blackout), ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(int agentCount, int blackoutSeconds, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lunar-dtn-demo-{Guid.NewGuid():N}");
        var wall = Stopwatch.StartNew();
        NodeProcess? moon = null, earth = null;
        LinkProxy? proxy = null;
        try
        {
            Console.WriteLine($"Lunar.Dtn demo — everything on 127.0.0.1, data in {dir}");
            var keys = Path.Combine(dir, "keys");
            DevConstellation.Create(keys, ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")],
                [("ada", Roles.Admin), ("oscar", Roles.Operator), ("vic", Roles.Viewer)], DemoAgents.Ids(agentCount));
            string[] NodeArgs(string id) => [$"--Node:Id={id}", $"--Node:DataDir={Path.Combine(dir, id)}", "--Urls=https://127.0.0.1:0",
                $"--Node:Constellation={Path.Combine(dir, "keys", "constellation.json")}", $"--Node:KeyFile={Path.Combine(dir, "keys", id + ".key")}"];

            moon = NodeProcess.Start("Lunar.Dtn.MoonNode", [.. NodeArgs("moon"), "--Link:Listen=127.0.0.1:0", "--Executor:TickSeconds=0.5"]);
            var moonLink = Last(await moon.WaitForLineAsync(l => l.Contains("Link listening on", StringComparison.Ordinal), "the Moon's link", TimeSpan.FromSeconds(60)).ConfigureAwait(false));
            var moonUrl = Url(await moon.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), "the Moon's API", TimeSpan.FromSeconds(60)).ConfigureAwait(false));
            var (mh, mp) = Lunar.Dtn.Links.Tcp.TcpRelaySettings.ParseEndpoint(moonLink);
            proxy = new LinkProxy(new LinkEmulatorOptions(new IPEndPoint(IPAddress.Loopback, 0), mh, mp, TimeSpan.FromMilliseconds(1280), 10, 0, []), TimeProvider.System, TextWriter.Null);
            proxy.Start();
            earth = NodeProcess.Start("Lunar.Dtn.EarthNode", [.. NodeArgs("earth"), $"--Link:Peers=moon=127.0.0.1:{proxy.ListeningOn!.Port}"]);
            var earthUrl = Url(await earth.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), "Earth's API", TimeSpan.FromSeconds(60)).ConfigureAwait(false));
            Console.WriteLine($"Earth node: {earthUrl}   Moon node: {moonUrl}   (HTTPS with client certificates; API reference at /scalar/v1, metrics at /metrics)");
            PrintHowToOpen(keys, earthUrl, moonUrl);
            Console.WriteLine($"Link emulator: 1.28 s one way, 10 Mbit/s, 127.0.0.1:{proxy.ListeningOn.Port} → Moon {moonLink}");

            // The demo acts as oscar (operator) and reads as vic (viewer); alice and bob sign with their own keys.
            using var oscar = Lunar.Dtn.Security.Tls.ClientCredentials.FromFolder(keys, "oscar");
            using var earthApi = oscar.CreateClient(new Uri(earthUrl));
            using var vic = Lunar.Dtn.Security.Tls.ClientCredentials.FromFolder(keys, "vic");
            using var moonApi = vic.CreateClient(new Uri(moonUrl));
            using var agents = new DemoAgents(new Uri(moonUrl), keys, agentCount, 42);
            await agents.RegisterAllAsync(ct).ConfigureAwait(false);
            Console.WriteLine($"{agentCount} simulated agents registered on the Moon");

            await Post(earthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Artifact, sizeBytes = 104857600 }, ct).ConfigureAwait(false);
            var campaign = (await Post(earthApi, "/api/v1/campaigns", new { name = "lunar-os 2.4.0", artifactId = Artifact, concurrencyLimit = 40, batchSize = 20, approvalRequired = true }, ct).ConfigureAwait(false))
                .GetProperty("id").GetString()!;
            await SignAsync(earthApi, dir, campaign, "alice", "flight-director", ct).ConfigureAwait(false);
            await SignAsync(earthApi, dir, campaign, "bob", "base-lead", ct).ConfigureAwait(false);
            await Post(earthApi, $"/api/v1/campaigns/{campaign}/start", null, ct).ConfigureAwait(false);
            Console.WriteLine($"oscar (operator) created campaign {campaign} on Earth, alice and bob approved it, oscar started it; it reaches the Moon one light time later");

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var agentTask = agents.RunAsync(stop.Token);
            var blackoutAt = TimeSpan.FromSeconds(15);
            var blackoutDone = false;
            var deadline = TimeSpan.FromMinutes(6);
            var phaseClock = Stopwatch.StartNew();
            JsonElement moonView = default, earthView = default;
            while (phaseClock.Elapsed < deadline && !ct.IsCancellationRequested)
            {
                if (!blackoutDone && phaseClock.Elapsed >= blackoutAt && !proxy.IsDown) { proxy.SetDown(true); Console.WriteLine($"── blackout: the relay is cut for {blackoutSeconds} s; the Moon carries on alone ──"); }
                if (proxy.IsDown && phaseClock.Elapsed >= blackoutAt + TimeSpan.FromSeconds(blackoutSeconds)) { proxy.SetDown(false); blackoutDone = true; Console.WriteLine("── contact restored: both sides catch up ──"); }
                moonView = await Get(moonApi, $"/api/v1/campaigns/{campaign}", ct).ConfigureAwait(false);
                earthView = await Get(earthApi, $"/api/v1/campaigns/{campaign}", ct).ConfigureAwait(false);
                Console.WriteLine($"{phaseClock.Elapsed:mm\\:ss}  Moon: {State(moonView)} {Progress(moonView)}   Earth sees: {State(earthView)} {Progress(earthView)}   link {(proxy.IsDown ? "DOWN" : "up")}");
                if (blackoutDone && State(moonView) == "completed" && moonView.GetProperty("progress").GetRawText() == earthView.GetProperty("progress").GetRawText()) break;
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            }
            await stop.CancelAsync().ConfigureAwait(false);
            try { await agentTask.ConfigureAwait(false); } catch (OperationCanceledException) { }

            var converged = moonView.GetProperty("progress").GetRawText() == earthView.GetProperty("progress").GetRawText();
            var p = moonView.GetProperty("progress");
            Console.WriteLine();
            Console.WriteLine($"Summary: campaign {State(moonView)} on the Moon; upgraded {Count(p, "complete")}, rolled back {Count(p, "rolled-back")} of {agentCount}; " +
                $"bytes over the Earth link: {proxy.BytesForward:N0} Earth→Moon, {proxy.BytesBackward:N0} Moon→Earth; Earth converged with the Moon: {(converged ? "yes" : "no")}; {wall.Elapsed.TotalSeconds:0} s");
            return State(moonView) == "completed" && converged ? 0 : 1;
        }
        catch (Exception ex) when (ex is TimeoutException or HttpRequestException or FileNotFoundException or InvalidOperationException)
        {
            Console.Error.WriteLine($"demo failed: {ex.Message}");
            return 1;
        }
        finally
        {
            earth?.Dispose();
            moon?.Dispose();
            if (proxy is not null) await proxy.DisposeAsync().ConfigureAwait(false);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>How to open the dashboards with the generated client certificate (and the same with curl).</summary>
    private static void PrintHowToOpen(string keys, string earthUrl, string moonUrl)
    {
        Console.WriteLine("Open the dashboards as ada (admin) with her client certificate:");
        Console.WriteLine($"  1. import {Path.Combine(keys, "ada.p12")} into your browser (empty password; Chromium: Settings → Privacy and security → Security →");
        Console.WriteLine("     Manage certificates → Your certificates → Import; Firefox: Settings → Privacy & Security → View Certificates → Your Certificates → Import)");
        Console.WriteLine($"  2. trust {Path.Combine(keys, DevConstellation.AuthorityFile)} as a certificate authority (Authorities → Import), or accept the warning once");
        Console.WriteLine($"  3. open {earthUrl}/ (Earth) and {moonUrl}/ (Moon); the browser asks which certificate to present: choose ada");
        Console.WriteLine($"  or: curl --cert {Path.Combine(keys, "ada.pem")} --cacert {Path.Combine(keys, DevConstellation.AuthorityFile)} {moonUrl}/api/v1/me");
        Console.WriteLine($"  (vic.p12 is a viewer, oscar.p12 an operator; everything lives in {keys} and is removed when the demo ends)");
    }

    private static async Task SignAsync(HttpClient api, string dir, string campaign, string approver, string role, CancellationToken ct)
    {
        var hash = (await Get(api, $"/api/v1/campaigns/{campaign}", ct).ConfigureAwait(false)).GetProperty("contentHash").GetString()!;
        using var key = NodeKey.Load(Path.Combine(dir, "keys", approver + ".key"));
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sig = key.Sign(ApprovalRecord.SigningBytes(campaign, hash, ApprovalDecision.Approve, approver, role, at));
        await Post(api, $"/api/v1/approvals/{campaign}", new { approverId = approver, role, contentHash = hash, decision = "approve", signedAtMs = at, signature = Convert.ToHexStringLower(sig) }, ct).ConfigureAwait(false);
    }

    private static async Task<JsonElement> Post(HttpClient api, string path, object? body, CancellationToken ct)
    {
        using var r = await api.PostAsJsonAsync(path, body ?? new { }, ct).ConfigureAwait(false);
        var text = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> Get(HttpClient api, string path, CancellationToken ct)
    {
        using var r = await api.GetAsync(path, ct).ConfigureAwait(false);
        if (r.StatusCode == HttpStatusCode.NotFound) return JsonDocument.Parse("{\"state\":\"not yet here\",\"progress\":{}}").RootElement.Clone();
        return (await r.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).Clone();
    }

    private static string State(JsonElement v) => v.GetProperty("state").GetString() ?? "?";

    private static string Progress(JsonElement v) =>
        string.Join(" ", v.GetProperty("progress").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetInt32()}"));

    private static int Count(JsonElement p, string phase) => p.TryGetProperty(phase, out var n) ? n.GetInt32() : 0;

    private static string Last(string line) => line[(line.LastIndexOf(' ') + 1)..].Trim();

    private static string Url(string line) => line[line.IndexOf("https://", StringComparison.Ordinal)..].Trim().TrimEnd('/');
}
