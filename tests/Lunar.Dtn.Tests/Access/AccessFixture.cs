using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Access;

/// <summary>
/// A real Moon service (Kestrel on 127.0.0.1 over TLS 1.3, LiteDB on disk) on a development constellation with the test
/// operators (ada admin, oscar operator, vic viewer) and two agents, and a registered artifact: the target of every
/// attack in <see cref="AccessTests"/>. Each test checks that the genuine callers are still served afterwards.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public const string Sha = "c0ffee8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

    public static readonly string[] Agents = ["srv-a", "srv-b", "srv-rev"];

    public InProcessNode Moon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Moon = await InProcessNode.StartAsync(NodeRole.Moon, "moon", agents: Agents);
        var (status, _) = await Moon.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 });
        Assert.Equal(201, status);
        foreach (var agent in Agents)
            Assert.Equal(200, (await Moon.PostAsync($"/api/v1/agents/{agent}/report", new { phase = "idle", site = "peary", cluster = "c1", tier = 3 })).Status);
    }

    public async Task DisposeAsync() => await Moon.DisposeAsync();
}
