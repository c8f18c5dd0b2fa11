using System.Text.RegularExpressions;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>
/// Earth (ipn:1.7) and Moon (ipn:2.7) as real processes that reach each other only through a third process, the
/// minimal BPv7 forwarder, over TCPCLv4: each node dials the forwarder to send, and the forwarder dials each node's
/// Link:Bpv7Listen to deliver. Ports are picked by the OS and read from the processes' output.
/// </summary>
public sealed partial class Bpv7Trio : IAsyncDisposable
{
    private readonly TempDir _dir = new("lunar-bpv7");
    private readonly List<ChildProcess> _processes = [];

    public ChildProcess Forwarder { get; private set; } = null!;
    public ChildProcess Earth { get; private set; } = null!;
    public ChildProcess Moon { get; private set; } = null!;
    public HttpClient EarthApi { get; private set; } = null!;
    public HttpClient MoonApi { get; private set; } = null!;

    public static async Task<Bpv7Trio> StartAsync(bool corruptPayload = false)
    {
        var trio = new Bpv7Trio();
        TestCredentials.Create(trio._dir.Sub("c"), ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")]);
        trio.Forwarder = trio.Track(ChildProcess.StartTestTool("Lunar.Dtn.Bpv7Forwarder",
            ["--listen", "127.0.0.1:0", "--eid", "ipn:9.0", .. corruptPayload ? new[] { "--corrupt-payload" } : []]));
        var relay = (await trio.Forwarder.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), "the forwarder to listen")).Split(' ')[1];
        trio.Moon = trio.Track(ChildProcess.Start("Lunar.Dtn.MoonNode", trio.NodeArgs("moon", "ipn:2.7", $"earth=tcpclv4://{relay}/ipn:1.7")));
        trio.Earth = trio.Track(ChildProcess.Start("Lunar.Dtn.EarthNode", trio.NodeArgs("earth", "ipn:1.7", $"moon=tcpclv4://{relay}/ipn:2.7")));
        foreach (var (node, name, route) in new[] { (trio.Moon, "moon", "ipn:2"), (trio.Earth, "earth", "ipn:1") })
        {
            var line = await node.WaitForLineAsync(l => l.Contains("BPv7 listening on tcpclv4://", StringComparison.Ordinal), $"{name}'s BPv7 listener");
            await trio.Forwarder.SendLineAsync($"route {route}={Listening().Match(line).Groups[1].Value}");
            await trio.Forwarder.WaitForLineAsync(l => l.StartsWith($"route {route} ->", StringComparison.Ordinal), $"the forwarder's route to {name}");
        }
        trio.MoonApi = await trio.ApiOf(trio.Moon, "moon");
        trio.EarthApi = await trio.ApiOf(trio.Earth, "earth");
        return trio;
    }

    [GeneratedRegex(@"tcpclv4://([0-9.]+:[0-9]+)")]
    private static partial Regex Listening();

    private IEnumerable<string> NodeArgs(string id, string eid, string peer) =>
    [
        $"--Node:Id={id}", $"--Node:DataDir={_dir.Sub(id)}", "--Urls=https://127.0.0.1:0", $"--Node:Eid={eid}",
        $"--Node:Constellation={_dir.Sub("c")}/constellation.json", $"--Node:KeyFile={_dir.Sub("c")}/{id}.key",
        $"--Link:Peers={peer}", "--Link:Bpv7Listen=127.0.0.1:0",
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

    public async Task<bool> ConvergedAsync()
    {
        var a = (await NodePair.GetAsync(EarthApi, "/api/v1/campaigns")).GetRawText();
        var b = (await NodePair.GetAsync(MoonApi, "/api/v1/campaigns")).GetRawText();
        var va = (await NodePair.GetAsync(EarthApi, "/api/v1/sync")).GetProperty("vector").GetRawText();
        var vb = (await NodePair.GetAsync(MoonApi, "/api/v1/sync")).GetProperty("vector").GetRawText();
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
