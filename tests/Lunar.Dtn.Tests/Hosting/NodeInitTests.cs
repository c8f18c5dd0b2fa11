using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Hosting;

/// <summary>The init verb and the serve help, on the real executables.</summary>
public sealed class NodeInitTests
{
    private static async Task<(int Code, IReadOnlyList<string> Output)> RunAsync(string project, params string[] args)
    {
        using var process = ChildProcess.Start(project, args);
        var code = await process.WaitForExitAsync($"{project} {string.Join(' ', args)}");
        return (code, process.Seen);
    }

    [Theory]
    [InlineData("Lunar.Dtn.EarthNode", "earth")]
    [InlineData("Lunar.Dtn.MoonNode", "moon")]
    public async Task Init_FreshFolder_CreatesStoreAndDevConstellation_PrintsPathsAndExitsZero(string project, string id)
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");

        var (code, output) = await RunAsync(project, "init", $"--Node:Id={id}", $"--Node:DataDir={data}");

        Assert.Equal(0, code);
        var constellation = Path.Combine(data, "dev-constellation", DevConstellation.FileName);
        foreach (var path in new[] { Path.Combine(data, "replica.db"), constellation, Path.Combine(data, "dev-constellation", id + ".key") })
        {
            Assert.True(File.Exists(path), $"{path} should exist");
            Assert.Contains(output, l => l == $"created {path}");
        }
        Assert.Contains(id, Constellation.Load(constellation).Nodes.Select(n => n.Id));
        Assert.DoesNotContain(output, l => l.Contains("Now listening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_Twice_SecondRunSaysAlreadyInitialisedAndKeepsTheKeys()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        Assert.Equal(0, (await RunAsync("Lunar.Dtn.MoonNode", "init", "--Node:Id=moon", $"--Node:DataDir={data}")).Code);
        var constellation = Path.Combine(data, "dev-constellation", DevConstellation.FileName);
        var firstConstellation = File.ReadAllText(constellation);
        var firstKey = File.ReadAllText(Path.Combine(data, "dev-constellation", "moon.key"));

        var (code, output) = await RunAsync("Lunar.Dtn.MoonNode", "init", "--Node:Id=moon", $"--Node:DataDir={data}");

        Assert.Equal(0, code);
        Assert.Contains(output, l => l.Contains("already initialised", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.StartsWith("created ", StringComparison.Ordinal));
        Assert.Equal(firstConstellation, File.ReadAllText(constellation));
        Assert.Equal(firstKey, File.ReadAllText(Path.Combine(data, "dev-constellation", "moon.key")));
    }

    [Fact]
    public async Task Init_WithConstellationAndKeyFile_CreatesOnlyTheStore()
    {
        using var dir = new TempDir();
        DevConstellation.Create(dir.Sub("keys"), ["earth", "moon"], [("alice", "flight-director")]);
        var data = dir.Sub("data");

        var (code, output) = await RunAsync("Lunar.Dtn.EarthNode", "init", "--Node:Id=earth", $"--Node:DataDir={data}",
            $"--Node:Constellation={Path.Combine(dir.Sub("keys"), DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(dir.Sub("keys"), "earth.key")}");

        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(data, "replica.db")));
        Assert.False(Directory.Exists(Path.Combine(data, "dev-constellation")));
        Assert.Contains(output, l => l == $"created {Path.Combine(data, "replica.db")}");
    }

    [Fact]
    public async Task Init_BadConfiguration_ExitsOneNamingEveryProblemAndCreatesNothing()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");

        var (code, output) = await RunAsync("Lunar.Dtn.MoonNode", "init", "--Node:Id=Moon!", $"--Node:DataDir={data}",
            "--Node:Constellation=/nope/constellation.json", "--Link:BandwidthMbps=0", "--Approvals:Tier1:Required=0");

        Assert.Equal(1, code);
        Assert.Contains(output, l => l.Contains("Node:Id", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Node:KeyFile", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Node:Constellation file", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Link:BandwidthMbps", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Approvals:Tier1:Required", StringComparison.Ordinal));
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Init_KeyFileOfAnotherNode_ExitsOneNamingTheKeyFile()
    {
        using var dir = new TempDir();
        DevConstellation.Create(dir.Sub("keys"), ["earth", "moon"], []);

        var (code, output) = await RunAsync("Lunar.Dtn.MoonNode", "init", "--Node:Id=moon", $"--Node:DataDir={dir.Sub("data")}",
            $"--Node:Constellation={Path.Combine(dir.Sub("keys"), DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(dir.Sub("keys"), "earth.key")}");

        Assert.Equal(1, code);
        Assert.Contains(output, l => l.Contains("Node:KeyFile", StringComparison.Ordinal) && l.Contains("earth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_AfterInit_UsesTheInitialisedFolder()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        Assert.Equal(0, (await RunAsync("Lunar.Dtn.MoonNode", "init", "--Node:Id=moon", $"--Node:DataDir={data}")).Code);

        using var node = ChildProcess.Start("Lunar.Dtn.MoonNode", ["--Node:Id=moon", $"--Node:DataDir={data}", "--Urls=https://127.0.0.1:0"]);
        await node.WaitForLineAsync(l => l.Contains("Now listening on:", StringComparison.Ordinal), "the moon to listen");
        Assert.Contains(node.Seen, l => l.Contains("Using the development constellation", StringComparison.Ordinal));
        Assert.DoesNotContain(node.Seen, l => l.Contains("created a single-node development constellation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("init")]
    public async Task Help_OfServeAndInit_ListsEveryConfigurationKey(string verb)
    {
        var (code, output) = await RunAsync("Lunar.Dtn.EarthNode", verb, "--help");
        Assert.Equal(0, code);
        foreach (var key in new[] { "Node:Id", "Node:DataDir", "Node:Constellation", "Node:KeyFile", "Node:AirGapped", "Urls", "Link:Listen", "Link:Peers", "Link:BandwidthMbps", "Approvals:Tier1:Required", "Approvals:Tier1:Roles" })
            Assert.Contains(output, l => l.TrimStart().StartsWith("--" + key + " ", StringComparison.Ordinal));
    }
}
