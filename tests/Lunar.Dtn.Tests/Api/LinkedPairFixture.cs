using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>
/// Earth and Moon in-process, sharing one constellation, Earth dialing the Moon's TCP link on 127.0.0.1.
/// Ready once the link is up both ways and both replicas hold the same vector.
/// </summary>
public sealed class LinkedPairFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new("lunar-pair");

    public InProcessNode Moon { get; private set; } = null!;

    public InProcessNode Earth { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var keys = _dir.Sub("constellation");
        TestCredentials.Create(keys, ["moon", "earth"], [], ["srv-1"]);
        string[] Trust(string id) => [$"--Node:Constellation={Path.Combine(keys, DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(keys, id + ".key")}"];
        Moon = await InProcessNode.StartAsync(NodeRole.Moon, "moon", [.. Trust("moon"), "--Link:Listen=127.0.0.1:0"], _dir.Sub("moon"));
        var port = Moon.Links.ListeningOn?.Port ?? throw new InvalidOperationException("the moon's link does not listen");
        Earth = await InProcessNode.StartAsync(NodeRole.Earth, "earth", [.. Trust("earth"), $"--Link:Peers=moon=127.0.0.1:{port}"], _dir.Sub("earth"));
        await Eventually.Holds(() =>
            Earth.Links.Peers.Any(p => p.Link.PeerId == "moon" && p.Link.IsUp) && Moon.Links.Peers.Any(p => p.Link.PeerId == "earth" && p.Link.IsUp)
            && Earth.Replica.Vector.Equals(Moon.Replica.Vector), "the earth-moon link to come up and both replicas to agree");
    }

    public async Task DisposeAsync()
    {
        await Earth.DisposeAsync();
        await Moon.DisposeAsync();
        _dir.Dispose();
    }
}
