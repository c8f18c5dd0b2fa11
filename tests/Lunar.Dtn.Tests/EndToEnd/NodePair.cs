using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>
/// Earth and Moon as real processes with LiteDB on disk, and the link emulator between them
/// (only Earth dials, at the emulator's address), all on 127.0.0.1 with ports picked by the OS.
/// </summary>
public sealed class NodePair : IAsyncDisposable
{
    private readonly TempDir _dir = new("lunar-e2e");
    private readonly List<ChildProcess> _processes = [];

    public ChildProcess Moon { get; private set; } = null!;
    public ChildProcess Earth { get; private set; } = null!;
    public ChildProcess Emulator { get; private set; } = null!;
    public HttpClient MoonApi { get; private set; } = null!;
    public HttpClient EarthApi { get; private set; } = null!;
    public string Dir => _dir.Path;

    /// <summary>The folder of the pair's constellation, CA and every principal's certificate files.</summary>
    public string CredentialsDir => _dir.Sub("c");

    /// <summary>Where the first moon's link listened (a restarted moon must listen there again: the emulator forwards there).</summary>
    public string MoonLink { get; private set; } = "";

    /// <summary>Where the emulator listens (Earth dials there).</summary>
    public string EmulatorEndpoint { get; private set; } = "";

    private IReadOnlyList<string> _earthExtra = [];

    /// <param name="earthArgs">More configuration for Earth, e.g. <c>--Link:BandwidthMbps=12</c> (kept for its restarts).</param>
    /// <param name="agents">Server ids whose agents get credentials in the pair's constellation (folder <c>Dir/c</c>).</param>
    public static async Task<NodePair> StartAsync(string delay, string? bandwidth = null, IReadOnlyList<string>? earthArgs = null, IEnumerable<string>? agents = null)
    {
        var pair = new NodePair { _earthExtra = earthArgs ?? [] };
        TestCredentials.Create(pair._dir.Sub("c"), ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")], agents);
        await pair.StartMoonAsync();
        var linkLine = await pair.Moon.WaitForLineAsync(l => l.Contains("Link listening on", StringComparison.Ordinal), "the moon's link listener");
        var moonLink = linkLine[(linkLine.LastIndexOf(' ') + 1)..].Trim();
        pair.MoonLink = moonLink;
        var emuArgs = new List<string> { "link", "--listen", "127.0.0.1:0", "--target", moonLink, "--delay", delay };
        if (bandwidth is not null) emuArgs.AddRange(["--bandwidth", bandwidth]);
        pair.Emulator = pair.Track(ChildProcess.Start("simulator", emuArgs));
        var emuLine = await pair.Emulator.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), "the link emulator to listen");
        var emuEndpoint = emuLine.Split(' ')[1];
        pair.EmulatorEndpoint = emuEndpoint;
        await pair.StartEarthAsync(emuEndpoint);
        return pair;
    }

    public async Task StartMoonAsync()
    {
        Moon = Track(ChildProcess.Start("Lunar.Dtn.MoonNode", NodeArgs("moon", ["--Link:Listen=127.0.0.1:0"])));
        MoonApi = await ApiOf(Moon, "moon");
    }

    public async Task StartEarthAsync(string emulatorEndpoint)
    {
        Earth = Track(ChildProcess.Start("Lunar.Dtn.EarthNode", NodeArgs("earth", [$"--Link:Peers=moon={emulatorEndpoint}", .. _earthExtra])));
        EarthApi = await ApiOf(Earth, "earth");
    }

    /// <summary>Restarts the moon on the same data folder, listening where it listened before.</summary>
    public async Task RestartMoonAsync(string linkEndpoint)
    {
        MoonApi.Dispose();
        Moon = Track(ChildProcess.Start("Lunar.Dtn.MoonNode", NodeArgs("moon", [$"--Link:Listen={linkEndpoint}"])));
        MoonApi = await ApiOf(Moon, "moon (restarted)");
    }

    private IEnumerable<string> NodeArgs(string id, IEnumerable<string> extra) =>
    [
        $"--Node:Id={id}", $"--Node:DataDir={_dir.Sub(id)}", "--Urls=https://127.0.0.1:0",
        $"--Node:Constellation={_dir.Sub("c")}/constellation.json", $"--Node:KeyFile={_dir.Sub("c")}/{id}.key", .. extra,
    ];

    /// <summary>The node's API as the administrator ada sees it (use <see cref="ClientAs"/> for anyone else).</summary>
    private async Task<HttpClient> ApiOf(ChildProcess node, string name)
    {
        var line = await node.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), $"{name}'s HTTP API");
        return TestCredentials.Client(_dir.Sub("c"), "ada", TestCredentials.UrlIn(line));
    }

    /// <summary>A client of <paramref name="api"/>'s node presenting principal <paramref name="id"/>'s certificate.</summary>
    public HttpClient ClientAs(HttpClient api, string id) => TestCredentials.Client(_dir.Sub("c"), id, api.BaseAddress!.ToString());

    private ChildProcess Track(ChildProcess p)
    {
        _processes.Add(p);
        return p;
    }

    public static async Task<JsonElement> GetAsync(HttpClient api, string path) => await api.GetFromJsonAsync<JsonElement>(path);

    public static async Task<JsonElement> PostAsync(HttpClient api, string path, object? body = null)
    {
        using var response = await api.PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Both nodes give the same campaigns and the same vector.</summary>
    public async Task<bool> ConvergedAsync()
    {
        var a = (await GetAsync(EarthApi, "/api/v1/campaigns")).GetRawText();
        var b = (await GetAsync(MoonApi, "/api/v1/campaigns")).GetRawText();
        var va = (await GetAsync(EarthApi, "/api/v1/sync")).GetProperty("vector").GetRawText();
        var vb = (await GetAsync(MoonApi, "/api/v1/sync")).GetProperty("vector").GetRawText();
        return a == b && va == vb;
    }

    public async ValueTask DisposeAsync()
    {
        MoonApi?.Dispose();
        EarthApi?.Dispose();
        foreach (var p in _processes) p.Dispose();
        await Task.CompletedTask;
        _dir.Dispose();
    }
}
