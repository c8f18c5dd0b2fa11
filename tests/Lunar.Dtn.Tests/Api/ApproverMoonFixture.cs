using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>
/// A Moon node running with a constellation that has approvers: alice (flight-director), bob (base-lead) and
/// carol (a second flight-director). Their private keys are in <see cref="KeyDir"/> as NAME.key.
/// </summary>
public sealed class ApproverMoonFixture : IAsyncLifetime
{
    public const string Sha = MoonNodeFixture.Sha;

    private readonly TempDir _dir = new("lunar-approvals");

    public InProcessNode Node { get; private set; } = null!;

    public string KeyDir => _dir.Sub("constellation");

    public NodeKey Key(string name) => NodeKey.Load(Path.Combine(KeyDir, name + ".key"));

    public async Task InitializeAsync()
    {
        TestCredentials.Create(KeyDir, ["moon", "earth"], [("alice", "flight-director"), ("bob", "base-lead"), ("carol", "flight-director")]);
        Node = await InProcessNode.StartAsync(NodeRole.Moon, "moon",
            [$"--Node:Constellation={Path.Combine(KeyDir, DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(KeyDir, "moon.key")}"],
            dataDir: _dir.Sub("data"));
        var (status, _) = await Node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 104857600 });
        Assert.Equal(201, status);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        _dir.Dispose();
    }
}
