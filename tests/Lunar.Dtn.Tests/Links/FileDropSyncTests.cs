using Lunar.Dtn.Links;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Testing;
using Lunar.Dtn.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Links;

public sealed class FileDropSyncTests
{
    [Fact]
    public void TwoReplicasOnLiteDb_SyncThroughAFileDrop_AndConverge()
    {
        using var dir = new ScratchDir("drop-sync");
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var trust = TestConstellation.Trust();
        using var earthStore = new LiteDbReplicaStore(dir.Sub("earth"));
        using var moonStore = new LiteDbReplicaStore(dir.Sub("moon"));
        var earth = new Replica(new ReplicaOptions { Id = "earth", Peers = ["moon"], MaxDeltasPerInterval = 4, TargetBundleBytes = 400 },
            TestConstellation.KeyFor("earth"), trust, earthStore, time);
        var moon = new Replica(new ReplicaOptions { Id = "moon", Peers = ["earth"] }, TestConstellation.KeyFor("moon"), trust, moonStore, time);
        using var earthLink = new FileDropLink(dir.Sub("drop"), "earth", "moon", time);
        using var moonLink = new FileDropLink(dir.Sub("drop"), "moon", "earth", time);
        using var earthSync = new PeerSync(earth, earthLink);
        using var moonSync = new PeerSync(moon, moonLink);
        for (var k = 1; k <= 60; k++) StatusScript.Write(earth, k, 9, audit: true);
        moon.SetNote("srv-0001", "checked", "bob");
        earthLink.Start();
        moonLink.Start();

        for (var i = 0; i < 2000 && !(earth.AckedBy("moon").Equals(earth.Vector) && moon.AckedBy("earth").Equals(moon.Vector)); i++)
            time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(earth.Vector, moon.Vector);
        Assert.Equal(earth.Fingerprint(), moon.Fingerprint());
        Assert.Equal(earth.Vector, earth.AckedBy("moon"));
        Assert.Empty(Directory.GetFiles(dir.Sub("drop"), "*", SearchOption.AllDirectories));
    }
}
