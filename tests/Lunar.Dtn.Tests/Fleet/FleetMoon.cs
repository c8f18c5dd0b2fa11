using System.Text.Json;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// A Moon node as a real process on 127.0.0.1 (port picked by the OS), with a constellation of earth, moon and two
/// approvers (alice, flight-director; bob, base-lead), the test operators (ada, oscar, vic) and the agents of its fleet,
/// each with its own certificate (the constellation lists them before the moon starts). <see cref="Api"/> is the admin
/// ada's client. Everything is killed on dispose.
/// </summary>
public sealed class FleetMoon : IAsyncDisposable
{
    private readonly TempDir _dir = new("lunar-fleet");
    private readonly List<FleetAgent> _agents = [];

    private FleetMoon(IEnumerable<string> agents) =>
        TestCredentials.Create(ConstellationDir, ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")], agents);

    public ChildProcess Process { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public string Url => Api.BaseAddress!.ToString().TrimEnd('/');
    public string Dir => _dir.Path;
    public string ConstellationDir => _dir.Sub("c");
    public IReadOnlyList<FleetAgent> Agents => _agents;

    /// <param name="agents">The server ids of every agent the test will add (<see cref="AddAgent"/>): each gets its credentials.</param>
    public static async Task<FleetMoon> StartAsync(IEnumerable<string> executorArgs, IEnumerable<string> agents)
    {
        var moon = new FleetMoon(agents);
        moon.Process = ChildProcess.Start("Lunar.Dtn.MoonNode",
        [
            "--Node:Id=moon", $"--Node:DataDir={moon._dir.Sub("moon")}", "--Urls=https://127.0.0.1:0",
            $"--Node:Constellation={moon.ConstellationDir}/constellation.json", $"--Node:KeyFile={moon.ConstellationDir}/moon.key", .. executorArgs,
        ]);
        var line = await moon.Process.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), "the moon's HTTPS API");
        moon.Api = TestCredentials.Client(moon.ConstellationDir, "ada", TestCredentials.UrlIn(line));
        return moon;
    }

    public FleetAgent AddAgent(string serverId, Action<Dictionary<string, string>> configure)
    {
        var agent = new FleetAgent(serverId, Url, ConstellationDir, _dir.Sub("agents"), configure);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>
    /// Starts every agent, <paramref name="wave"/> at a time, each wave once the previous one has registered (the Moon
    /// audits each registration): dozens of .NET processes starting at once on two cores would mostly wait on each other.
    /// </summary>
    public async Task StartAgentsAsync(int wave, TimeSpan timeoutPerWave)
    {
        for (var i = 0; i < _agents.Count; i += wave)
        {
            foreach (var a in _agents.Skip(i).Take(wave)) a.Start();
            var expected = Math.Min(i + wave, _agents.Count);
            await Eventually.Holds(() => Registered().Count == expected, $"{expected} of {_agents.Count} agents to register with the moon", timeoutPerWave);
        }
    }

    public IReadOnlySet<string> Registered() =>
        Get("/api/v1/audit?action=agent-registered").EnumerateArray().Select(e => e.GetProperty("details").GetString()!.Split(' ')[1]).ToHashSet();

    /// <summary>Waits for the campaign's derived state; on timeout, says where every unfinished server stands.</summary>
    public async Task WaitForCampaignAsync(string campaignId, string state, TimeSpan timeout)
    {
        try
        {
            await Eventually.Holds(() => Get($"/api/v1/campaigns/{campaignId}").GetProperty("state").GetString() == state, $"campaign {campaignId} to be {state}", timeout);
        }
        catch (TimeoutException e)
        {
            var stuck = _agents.Where(a => Get($"/api/v1/servers/{a.ServerId}/state").GetProperty("phase").GetString() is not ("complete" or "rolled-back" or "idle"));
            var tails = await Task.WhenAll(stuck.Select(async a => $"agent {a.ServerId}:\n{await a.TailAsync(25)}"));
            throw new TimeoutException($"{e.Message}\n{Describe(campaignId)}\n{string.Join("\n", tails)}", e);
        }
    }

    /// <summary>The campaign's state and progress, and every server not complete or rolled back.</summary>
    public string Describe(string campaignId)
    {
        var c = Get($"/api/v1/campaigns/{campaignId}");
        var lines = new List<string> { $"campaign {c.GetProperty("state")} {c.GetProperty("progress").GetRawText()}" };
        foreach (var a in _agents)
        {
            var s = Get($"/api/v1/servers/{a.ServerId}/state");
            if (s.GetProperty("phase").GetString() is "complete" or "rolled-back") continue;
            lines.Add($"{a.ServerId} ({s.GetProperty("redundancyGroup")}, tier {s.GetProperty("tier")}): {s.GetProperty("phase")} since {s.GetProperty("since")}: {s.GetProperty("detail")}" +
                $"; agent exited: {a.Process.HasExited}");
        }
        return string.Join("\n", lines);
    }

    /// <summary>A blocking GET for conditions polled by <see cref="Eventually"/>.</summary>
    public JsonElement Get(string path) => NodePair.GetAsync(Api, path).GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        foreach (var a in _agents) a.Dispose();
        Api?.Dispose();
        Process?.Dispose();
        await Task.CompletedTask;
        _dir.Dispose();
    }
}
