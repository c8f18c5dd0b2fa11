using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Tests.Hosting;

public sealed class NodeStartupTests
{
    [Fact]
    public void Validate_ManyBadSettings_ReportsEveryProblemAtOnceNamingItsKey()
    {
        var errors = NodeOptionsValidator.Validate(
            new NodeOptions { Id = "Moon!", DataDir = "", Constellation = "/nope/c.json" },
            new RelayOptions { Peers = "earth", BandwidthMbps = 0 });

        Assert.Contains(errors, e => e.StartsWith("Node:Id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Node:DataDir", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Node:KeyFile", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Link:Peers", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Link:BandwidthMbps", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AirGappedWithALink_IsRefused()
    {
        var errors = NodeOptionsValidator.Validate(new NodeOptions { Id = "tier1-alpha", DataDir = "d", AirGapped = true }, new RelayOptions { Listen = "127.0.0.1:7001" });
        Assert.Contains(errors, e => e.Contains("AirGapped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Lunar.Dtn.EarthNode", "earth")]
    [InlineData("Lunar.Dtn.MoonNode", "moon")]
    public async Task Serve_FirstStartWithoutTrust_CreatesDevConstellationAndAnswersHealthz(string project, string id)
    {
        using var dir = new TempDir();
        using var node = ChildProcess.Start(project, [$"--Node:Id={id}", $"--Node:DataDir={dir.Sub("data")}", "--Urls=https://127.0.0.1:0"]);
        var listening = await node.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), $"{project} to listen");
        var url = TestCredentials.UrlIn(listening);

        // The node made its own CA and an admin certificate, and logged where they are.
        using var http = TestCredentials.Client(Path.Combine(dir.Sub("data"), "dev-constellation"), "admin", url);
        Assert.Equal("live", (await http.GetFromJsonAsync<JsonElement>($"{url}/healthz")).GetProperty("status").GetString());
        var sync = await http.GetFromJsonAsync<JsonElement>($"{url}/api/v1/sync");
        Assert.Equal(id, sync.GetProperty("node").GetString());
        Assert.True(File.Exists(Path.Combine(dir.Sub("data"), "dev-constellation", "constellation.json")));
        Assert.Contains(node.Seen, l => l.Contains("development constellation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_BadConfiguration_ExitsWithOneAndNamesEveryProblem()
    {
        using var node = ChildProcess.Start("Lunar.Dtn.MoonNode", ["--Node:Id=", "--Node:DataDir=", "--Link:BandwidthMbps=-3"]);
        var code = await node.WaitForExitAsync("the misconfigured node");
        Assert.Equal(1, code);
        Assert.Contains(node.Seen, l => l.Contains("Node:Id is required", StringComparison.Ordinal));
        Assert.Contains(node.Seen, l => l.Contains("Link:BandwidthMbps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_BadTransferSettings_ExitsWithOneNamingEachKey()
    {
        using var dir = new TempDir();
        using var node = ChildProcess.Start("Lunar.Dtn.MoonNode", ["--Node:Id=moon", $"--Node:DataDir={dir.Sub("data")}",
            "--Transfer:WindowChunks=0", "--Transfer:AckDelayMs=soon", "--Transfer:StallTimeoutSeconds=100000"]);
        Assert.Equal(1, await node.WaitForExitAsync("the node with bad Transfer:* settings"));
        Assert.Contains(node.Seen, l => l.Contains("Transfer:WindowChunks must be an integer 1-4096 (got '0')", StringComparison.Ordinal));
        Assert.Contains(node.Seen, l => l.Contains("Transfer:AckDelayMs must be an integer 1-60000 (got 'soon')", StringComparison.Ordinal));
        Assert.Contains(node.Seen, l => l.Contains("Transfer:StallTimeoutSeconds must be an integer 1-86400 (got '100000')", StringComparison.Ordinal));
        Assert.False(Directory.Exists(dir.Sub("data")), "nothing is created for a node that does not start");
    }

    [Fact]
    public void TransferSettings_ReadsEachKey_AndKeepsTheDefaultsOfTheRest()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Transfer:WindowChunks"] = "16", ["Transfer:AckDelayMs"] = "50" }).Build();
        var options = Lunar.Dtn.Hosting.TransferSettings.From(config, out var errors);
        Assert.Empty(errors);
        Assert.Equal(16, options.WindowChunks);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.AckDelay);
        Assert.Equal(new Lunar.Dtn.Transfer.TransferOptions().StallTimeout, options.StallTimeout);
    }

    [Fact]
    public async Task ConstellationDev_WritesPublicFileAndKeys_ThatShowVerifies()
    {
        using var dir = new TempDir();
        using var make = ChildProcess.Start("Lunar.Dtn.EarthNode", ["constellation", "dev", "--out", dir.Path, "--nodes", "earth,moon,tier1-alpha", "--approvers", "alice:flight-director,bob:base-lead"]);
        Assert.Equal(0, await make.WaitForExitAsync("constellation dev"));
        foreach (var f in new[] { "constellation.json", "earth.key", "moon.key", "tier1-alpha.key", "alice.key", "bob.key" })
            Assert.True(File.Exists(Path.Combine(dir.Path, f)), f);
        Assert.DoesNotContain("earth:", File.ReadAllText(Path.Combine(dir.Path, "constellation.json")), StringComparison.Ordinal);

        using var show = ChildProcess.Start("Lunar.Dtn.EarthNode", ["constellation", "show", Path.Combine(dir.Path, "constellation.json")]);
        Assert.Equal(0, await show.WaitForExitAsync("constellation show"));
        Assert.Contains(show.Seen, l => l.Contains("signature valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agent_BadConfiguration_ExitsWithOne()
    {
        using var agent = ChildProcess.Start("Lunar.Dtn.Agent", ["--Agent:Tier=7"]);
        Assert.Equal(1, await agent.WaitForExitAsync("the misconfigured agent"));
        Assert.Contains(agent.Seen, l => l.Contains("Agent:Tier", StringComparison.Ordinal));
    }
}
