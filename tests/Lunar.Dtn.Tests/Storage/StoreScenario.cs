using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Storage;

/// <summary>
/// One deterministic three-replica run (earth — moon — tier1-alpha, the moon forwarding), on stores the
/// caller supplies: a fake clock and seeded links make two runs identical except for the store.
/// </summary>
internal static class StoreScenario
{
    public static readonly string[] Ids = ["earth", "moon", "tier1-alpha"];

    public sealed record Outcome(Dictionary<string, string> Fingerprints, Dictionary<string, string> Reloaded, Dictionary<string, StoredReplica> Stored);

    public static Outcome Run(Func<string, IReplicaStore> storeFor)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var trust = TestConstellation.Trust();
        var stores = Ids.ToDictionary(id => id, storeFor);
        var peers = new Dictionary<string, string[]> { ["earth"] = ["moon"], ["moon"] = ["earth", "tier1-alpha"], ["tier1-alpha"] = ["moon"] };
        Replica Open(string id) => new(new ReplicaOptions { Id = id, Peers = peers[id], MaxDeltasPerInterval = 3, TargetBundleBytes = 600 },
            TestConstellation.KeyFor(id), trust, stores[id], time);
        var replicas = Ids.ToDictionary(id => id, Open);
        var light = new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(1280), Loss = 0.1, Duplication = 0.1, ReorderJitter = TimeSpan.FromMilliseconds(300) };
        var earthMoon = new SimulatedLink("earth", "moon", light, time, new Random(7));
        var moonTier = new SimulatedLink("moon", "tier1-alpha", light with { OneWayDelay = TimeSpan.FromMilliseconds(5) }, time, new Random(8));
        var syncs = new[]
        {
            new PeerSync(replicas["earth"], earthMoon.A), new PeerSync(replicas["moon"], earthMoon.B),
            new PeerSync(replicas["moon"], moonTier.A), new PeerSync(replicas["tier1-alpha"], moonTier.B),
        };

        replicas["earth"].DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("c1", ctx.Stamp, ctx.ReplicaId) });
        replicas["earth"].Control("c1", CampaignControl.Run, "alice");
        for (var k = 1; k <= 30; k++)
        {
            StatusScript.Write(replicas["tier1-alpha"], k, 7, audit: k % 3 == 0);
            if (k % 10 == 0) replicas["moon"].SetNote($"srv-{k % 7:D4}", $"note {k}", "bob");
            time.Advance(TimeSpan.FromMilliseconds(400));
        }
        earthMoon.Cut();
        replicas["earth"].Control("c1", CampaignControl.Pause, "alice");
        replicas["moon"].Control("c1", CampaignControl.Run, "bob");
        time.Advance(TimeSpan.FromSeconds(20));
        earthMoon.Restore();
        Converge(time, replicas);

        var fingerprints = replicas.ToDictionary(kv => kv.Key, kv => kv.Value.Fingerprint());
        foreach (var s in syncs) s.Dispose();
        var reloaded = Ids.ToDictionary(id => id, id => Open(id).Fingerprint());
        var stored = Ids.ToDictionary(id => id, id => stores[id].Load());
        foreach (var s in stores.Values) s.Dispose();
        return new Outcome(fingerprints, reloaded, stored);
    }

    private static void Converge(FakeTimeProvider time, Dictionary<string, Replica> replicas)
    {
        bool Done() =>
            replicas.Values.Select(r => r.Fingerprint()).Distinct().Count() == 1 &&
            replicas.Values.Select(r => r.Vector).Distinct().Count() == 1 &&
            replicas.Values.All(r => r.KnownPeers.All(p => r.AckedBy(p).Equals(r.Vector)));
        for (var i = 0; i < 20_000 && !Done(); i++) time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(Done(), "waiting for the three replicas to converge and acknowledge everything");
    }
}
