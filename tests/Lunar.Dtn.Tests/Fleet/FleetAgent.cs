using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// One real Lunar.Dtn.Agent process for one server, with its own data folder (the journal), so it can be killed
/// (SIGKILL, hook and all) and started again on the same journal. It presents its own certificate from the constellation
/// folder <c>credentialsDir</c> (which must list <c>serverId</c> among its agents).
/// </summary>
public sealed class FleetAgent : IDisposable
{
    private readonly List<ChildProcess> _runs = [];

    public FleetAgent(string serverId, string nodeUrl, string credentialsDir, string agentsDir, Action<Dictionary<string, string>> configure)
    {
        ServerId = serverId;
        Settings = new Dictionary<string, string>
        {
            ["Agent:ServerId"] = serverId,
            ["Agent:NodeUrl"] = nodeUrl,
            ["Agent:Certificate"] = Lunar.Dtn.Security.Tls.CertificateFiles.CertificatePath(credentialsDir, serverId),
            ["Agent:Key"] = Lunar.Dtn.Security.Tls.CertificateFiles.KeyPath(credentialsDir, serverId),
            ["Agent:CaCertificate"] = Path.Combine(credentialsDir, Lunar.Dtn.Security.DevConstellation.AuthorityFile),
            ["Agent:DataDir"] = Path.Combine(agentsDir, serverId),
            ["Agent:Urls"] = "http://127.0.0.1:0",
            ["Agent:PollSeconds"] = "1",
            ["Agent:Site"] = "alpha",
            ["Agent:Cluster"] = "k1",
            ["Agent:Tier"] = "3",
        };
        configure(Settings);
    }

    public string ServerId { get; }
    public Dictionary<string, string> Settings { get; }

    /// <summary>The current process (the latest run).</summary>
    public ChildProcess Process => _runs[^1];

    public int Runs => _runs.Count;

    public ChildProcess Start()
    {
        var run = ChildProcess.Start("Lunar.Dtn.Agent", Settings.Select(kv => $"--{kv.Key}={kv.Value}"));
        _runs.Add(run);
        return run;
    }

    /// <summary>Kills the agent and its hook at once (SIGKILL, whole tree), then starts it again on the same data folder.</summary>
    public async Task KillAndRestartAsync()
    {
        Process.Kill();
        await Process.WaitForExitAsync($"agent {ServerId} to die of its SIGKILL");
        Start();
    }

    /// <summary>For a failure message: the last lines every run of this agent printed.</summary>
    public async Task<string> TailAsync(int lines)
    {
        var text = new List<string>();
        foreach (var (run, i) in _runs.Select((r, i) => (r, i)))
        {
            try { await run.WaitForLineAsync(_ => false, "nothing (drains the output)", TimeSpan.FromMilliseconds(300)); }
            catch (TimeoutException) { }
            text.Add($"--- run {i + 1}{(run.HasExited ? " (exited)" : "")}");
            text.AddRange(run.Seen.TakeLast(lines));
        }
        return string.Join("\n", text);
    }

    public void Dispose()
    {
        foreach (var r in _runs) r.Dispose();
    }
}
