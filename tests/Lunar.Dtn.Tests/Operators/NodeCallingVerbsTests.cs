using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// Verbs that call a running node authenticate with a client certificate: <c>approve</c> signs with the approver's Ed25519
/// key and presents her certificate (by default the one beside the key), <c>bundle export --node</c> presents
/// <c>--cert</c> and checks the node against <c>--ca</c>. Without a usable certificate they stop with one line saying which.
/// </summary>
public sealed class NodeCallingVerbsTests : IDisposable
{
    private const string Sha = "c3a5e2b1d0f98e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
    private readonly TempDir _dir = new("lunar-verbs");

    public void Dispose() => _dir.Dispose();

    private string C => _dir.Sub("c");

    private async Task<InProcessNode> StartAsync()
    {
        TestCredentials.Create(C, ["earth"]);
        return await InProcessNode.StartAsync(NodeRole.Earth, "earth", [$"--Node:Constellation={C}/constellation.json", $"--Node:KeyFile={C}/earth.key"], _dir.Sub("earth"));
    }

    private static async Task<string> CampaignAsync(InProcessNode node)
    {
        Assert.Equal(201, (await node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 })).Status);
        var (status, body) = await node.PostAsync("/api/v1/campaigns", new { name = "needs-quorum", artifactId = Sha, approvalRequired = true });
        Assert.Equal(201, status);
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<(int Code, IReadOnlyList<string> Output)> RunAsync(params string[] args)
    {
        using var process = ChildProcess.Start("Lunar.Dtn.EarthNode", args);
        var code = await process.WaitForExitAsync(string.Join(' ', args), TimeSpan.FromSeconds(60));
        return (code, process.Seen);
    }

    [Fact]
    public async Task Approve_PresentsTheCertificateBesideItsKey_AndTheApprovalIsRecordedUnderHerName()
    {
        await using var node = await StartAsync();
        var campaign = await CampaignAsync(node);

        var (code, output) = await RunAsync("approve", "--campaign", campaign, "--key", Path.Combine(C, "alice.key"), "--node", node.Url, "--role", "flight-director");

        Assert.True(code == 0, string.Join("\n", output));
        Assert.Contains(output, l => l.Contains($"alice (flight-director) signed campaign {campaign}", StringComparison.Ordinal));
        var approvals = await node.GetJsonAsync($"/api/v1/approvals/{campaign}");
        Assert.Contains("alice", approvals.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_KeyWithoutACertificateBesideIt_ExitsTwoNamingTheCertificate()
    {
        await using var node = await StartAsync();
        var campaign = await CampaignAsync(node);
        var lone = _dir.Sub("lone");
        Directory.CreateDirectory(lone);
        File.Copy(Path.Combine(C, "alice.key"), Path.Combine(lone, "alice.key"));

        var (code, output) = await RunAsync("approve", "--campaign", campaign, "--key", Path.Combine(lone, "alice.key"), "--node", node.Url, "--role", "flight-director");

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains("--cert", StringComparison.Ordinal) && l.Contains(Path.Combine(lone, "alice.pem"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approve_WithAViewersCertificate_IsRefusedNamingTheRole()
    {
        await using var node = await StartAsync();
        var campaign = await CampaignAsync(node);

        var (code, output) = await RunAsync("approve", "--campaign", campaign, "--key", Path.Combine(C, "alice.key"), "--node", node.Url, "--role", "flight-director",
            "--cert", Path.Combine(C, "vic.pem"));

        Assert.Equal(2, code);
        Assert.Contains(output, l => l.Contains("lacks the role 'operator'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BundleExport_ThroughTheNode_WithAnAdminsCertificate_WritesTheFile_AndWithoutOne_SaysWhatIsMissing()
    {
        await using var node = await StartAsync();
        var file = _dir.Sub("stick.ldbf");

        var (missing, said) = await RunAsync("bundle", "export", "--out", file, "--node", node.Url);
        Assert.Equal(1, missing);
        Assert.Contains(said, l => l.Contains("needs --cert FILE.pem", StringComparison.Ordinal));

        var (plain, why) = await RunAsync("bundle", "export", "--out", file, "--node", node.Url.Replace("https://", "http://", StringComparison.Ordinal),
            "--cert", Path.Combine(C, "ada.pem"), "--ca", Path.Combine(C, DevConstellation.AuthorityFile));
        Assert.Equal(1, plain);
        Assert.Contains(why, l => l.Contains("only HTTPS", StringComparison.Ordinal));

        var (viewer, refused) = await RunAsync("bundle", "export", "--out", file, "--node", node.Url,
            "--cert", Path.Combine(C, "vic.pem"), "--ca", Path.Combine(C, DevConstellation.AuthorityFile));
        Assert.Equal(1, viewer);
        Assert.Contains(refused, l => l.Contains("lacks the role 'admin'", StringComparison.Ordinal));
        Assert.False(File.Exists(file));

        var (code, output) = await RunAsync("bundle", "export", "--out", file, "--node", node.Url,
            "--cert", Path.Combine(C, "ada.pem"), "--ca", Path.Combine(C, DevConstellation.AuthorityFile));
        Assert.True(code == 0, string.Join("\n", output));
        Assert.True(new FileInfo(file).Length > 0);
    }
}
