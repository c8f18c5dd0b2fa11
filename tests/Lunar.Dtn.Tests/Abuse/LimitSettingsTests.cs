using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>The caps are configuration: a bad value stops the node at start, naming the key; good values are the caps in force.</summary>
public sealed class LimitSettingsTests
{
    [Theory]
    [InlineData("--Dashboard:MaxFeedClientsPerPrincipal=0", "Dashboard:MaxFeedClientsPerPrincipal")]
    [InlineData("--Dashboard:MaxFeedClients=many", "Dashboard:MaxFeedClients")]
    [InlineData("--Agents:MaxLongPollsPerPrincipal=-1", "Agents:MaxLongPollsPerPrincipal")]
    [InlineData("--Agents:MaxLongPolls=0", "Agents:MaxLongPolls")]
    [InlineData("--Artifacts:FreeSpaceReserveMB=-5", "Artifacts:FreeSpaceReserveMB")]
    public void ABadCap_StopsTheNodeAtStart_NamingTheKey(string arg, string key)
    {
        using var dir = new TempDir("lunar-limits");
        var errors = new StringWriter();
        var app = NodeHost.Build(["--Node:Id=moon", $"--Node:DataDir={dir.Sub("data")}", "--Urls=https://127.0.0.1:0", arg], NodeRole.Moon, errors, TimeProvider.System);
        Assert.Null(app);
        Assert.Contains(key, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaults_AreTheDocumentedCaps()
    {
        Assert.Equal((8, 256, 2, 10_000), (LimitSettings.Default.FeedClientsPerPrincipal, LimitSettings.Default.FeedClients,
            LimitSettings.Default.LongPollsPerPrincipal, LimitSettings.Default.LongPolls));
        var problems = new List<string>();
        var read = LimitSettings.From(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Dashboard:MaxFeedClientsPerPrincipal"] = "3", ["Agents:MaxLongPolls"] = "50" }).Build(), problems);
        Assert.Empty(problems);
        Assert.Equal(new LimitSettings(3, 256, 2, 50), read);
    }
}
