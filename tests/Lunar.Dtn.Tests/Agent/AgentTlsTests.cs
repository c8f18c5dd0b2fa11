using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Agent;

/// <summary>
/// The agent talks to its node only over mutual TLS: its own certificate on everything it fetches, the node's checked
/// against the constellation's CA, and a startup that refuses plain HTTP, missing credentials, a key others can read and
/// a certificate of another server — each a configuration error naming the key.
/// </summary>
public sealed class AgentTlsTests
{
    [Fact]
    public async Task Agent_PresentsItsOwnCertificate_OnAssignmentReportTorrentAnnounceAndContent()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        node.Assign(AgentUnderTest.DefaultServerId);
        using var agent = setup.Start();

        await node.WaitForPhaseAsync("complete");

        var presented = node.Presented;
        foreach (var endpoint in new[] { "/assignment", "/report", "/torrent", "/content" })
            Assert.Contains(presented, p => p.Path.EndsWith(endpoint, StringComparison.Ordinal));
        Assert.Contains(presented, p => p.Path == "/announce");
        Assert.Contains(presented, p => p.Path.StartsWith($"/api/v1/agents/{AgentUnderTest.DefaultServerId}/campaigns/", StringComparison.Ordinal));
        // The stub refuses any handshake without a certificate of its CA, so every request here presented one: the agent's own.
        Assert.All(presented, p => Assert.Equal(AgentUnderTest.DefaultServerId, p.Principal));
    }

    [Fact]
    public async Task PlainHttpNodeUrl_IsAConfigurationError_NamingAgentNodeUrl()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:NodeUrl"] = node.Url.Replace("https://", "http://", StringComparison.Ordinal);
        using var agent = setup.Start();

        Assert.Equal(1, await agent.WaitForExitAsync("the agent given a plain-HTTP node"));
        Assert.Contains(agent.Seen, l => l.Contains("Agent:NodeUrl", StringComparison.Ordinal) && l.Contains("mutual TLS", StringComparison.Ordinal));
        Assert.Empty(node.Reports);
    }

    [Theory]
    [InlineData("Agent:Certificate")]
    [InlineData("Agent:Key")]
    [InlineData("Agent:CaCertificate")]
    public async Task MissingCredential_IsAConfigurationError_NamingTheKey(string key)
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings.Remove(key);
        using var agent = setup.Start();

        Assert.Equal(1, await agent.WaitForExitAsync($"the agent without {key}"));
        Assert.Contains(agent.Seen, l => l.Contains($"{key} is required", StringComparison.Ordinal));
        Assert.Empty(node.Reports);
    }

    [Fact]
    public async Task KeyReadableByOthers_IsRefused_NamingAgentKeyAndTheFix()
    {
        if (OperatingSystem.IsWindows()) return; // file modes are a Unix matter
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        var key = setup.Path("srv-00042.key.pem");
        File.Copy(setup.Settings["Agent:Key"], key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        setup.Settings["Agent:Key"] = key;
        using var agent = setup.Start();

        Assert.Equal(1, await agent.WaitForExitAsync("the agent whose key others can read"));
        Assert.Contains(agent.Seen, l => l.Contains("Agent:Key", StringComparison.Ordinal) && l.Contains($"chmod 600 {key}", StringComparison.Ordinal));
        Assert.Empty(node.Reports);
    }

    [Fact]
    public async Task CertificateOfAnotherServer_IsAConfigurationError()
    {
        await using var node = await StubExecutor.StartAsync();
        using var setup = new AgentUnderTest(node);
        setup.Settings["Agent:Certificate"] = CertificateFiles.CertificatePath(node.CredentialsDir, "srv-00043");
        setup.Settings["Agent:Key"] = CertificateFiles.KeyPath(node.CredentialsDir, "srv-00043");
        using var agent = setup.Start();

        Assert.Equal(1, await agent.WaitForExitAsync("the agent holding another server's certificate"));
        Assert.Contains(agent.Seen, l => l.Contains("Agent:Certificate names 'srv-00043'", StringComparison.Ordinal));
        Assert.Empty(node.Reports);
    }

    [Fact]
    public async Task NodeCertificateFromAnotherCa_IsRefused_AndNothingIsReported()
    {
        await using var node = await StubExecutor.StartAsync();
        using var other = new TempDir("lunar-other-ca");
        TestCredentials.Create(other.Path, ["moon"], agents: [AgentUnderTest.DefaultServerId]);
        // The agent's own credentials and CA come from another constellation: the stub's node certificate is not from its CA.
        using var setup = new AgentUnderTest(node.Url, other.Path);
        using var agent = setup.Start();

        await agent.WaitForLineAsync(l => l.Contains("Node did not take the report", StringComparison.Ordinal),
            "the agent to fail the TLS handshake with a node of another CA (and retry)", TimeSpan.FromSeconds(30));
        Assert.Empty(node.Reports);
    }
}
