using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Agent;

/// <summary>
/// One agent's setup for a test: a temp folder (data dir, hook log), its settings, and a way to start it as a real
/// process against a <see cref="StubExecutor"/>. Hooks are one-line shell commands that append what they saw
/// (their name and the LUNAR_* variables) to <see cref="HookLog"/>. The agent presents its own certificate, issued by the
/// stub's constellation to its server id (<c>Agent:Certificate</c>, <c>Agent:Key</c>, <c>Agent:CaCertificate</c>).
/// </summary>
public sealed class AgentUnderTest : IDisposable
{
    public const string DefaultServerId = "srv-00042";

    private readonly TempDir _dir = new("lunar-agent");

    public AgentUnderTest(StubExecutor node) : this(node.Url, node.CredentialsDir)
    {
    }

    /// <param name="credentialsDir">A folder <c>constellation dev</c> wrote, with the files of <see cref="DefaultServerId"/>.</param>
    public AgentUnderTest(string nodeUrl, string credentialsDir, string serverId = DefaultServerId)
    {
        Settings = new Dictionary<string, string>
        {
            ["Agent:ServerId"] = serverId,
            ["Agent:NodeUrl"] = nodeUrl,
            ["Agent:Certificate"] = Lunar.Dtn.Security.Tls.CertificateFiles.CertificatePath(credentialsDir, serverId),
            ["Agent:Key"] = Lunar.Dtn.Security.Tls.CertificateFiles.KeyPath(credentialsDir, serverId),
            ["Agent:CaCertificate"] = System.IO.Path.Combine(credentialsDir, Lunar.Dtn.Security.DevConstellation.AuthorityFile),
            ["Agent:Site"] = "shackleton",
            ["Agent:Cluster"] = "c7",
            ["Agent:Tier"] = "3",
            ["Agent:RedundancyGroup"] = "rg-12",
            ["Agent:DataDir"] = _dir.Sub("data"),
            ["Agent:Urls"] = "http://127.0.0.1:0",
            ["Agent:PollSeconds"] = "2",
            ["Agent:Driver"] = "hooks",
            ["Agent:Hooks:PreCheck"] = Logs("pre-check"),
            ["Agent:Hooks:Apply"] = Logs("apply"),
            ["Agent:Hooks:SmokeTest"] = Logs("smoke-test"),
            ["Agent:Hooks:Rollback"] = Logs("rollback"),
            ["Agent:Hooks:TimeoutSeconds"] = "5",
            ["Agent:RollbackDeadlineSeconds"] = "10",
            ["Agent:StallSeconds"] = "1",
        };
    }

    public Dictionary<string, string> Settings { get; }

    public string HookLog => _dir.Sub("hooks.log");

    public string Path(string name) => _dir.Sub(name);

    /// <summary>A hook command that appends "name server campaign attempt version sha previous" to the hook log.</summary>
    public string Logs(string name) =>
        $"echo \"{name} $LUNAR_SERVER_ID $LUNAR_CAMPAIGN_ID $LUNAR_ATTEMPT $LUNAR_VERSION $LUNAR_ARTIFACT_SHA256 $LUNAR_PREVIOUS_VERSION\" >> '{HookLog}'";

    /// <summary>The hook log's lines, each split into its words.</summary>
    public IReadOnlyList<string[]> HookCalls() =>
        File.Exists(HookLog) ? File.ReadAllLines(HookLog).Select(l => l.Split(' ')).ToArray() : [];

    public ChildProcess Start() => ChildProcess.Start("Lunar.Dtn.Agent", Settings.Select(kv => $"--{kv.Key}={kv.Value}"));

    public void Dispose() => _dir.Dispose();
}
