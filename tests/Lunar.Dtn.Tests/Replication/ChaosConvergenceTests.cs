using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

/// <summary>
/// Seeded chaos: loss, duplication, reordering and long blackouts (planned and cut by hand) while every
/// node keeps writing, then a heal phase on a clean link. Every replica must end identical. A failure names
/// its seed; replay it with the single theory case of that seed.
/// </summary>
public sealed class ChaosConvergenceTests
{
    private const int SeedsPerTopology = 30;
    private static readonly TimeSpan HealBudget = TimeSpan.FromHours(2);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= SeedsPerTopology; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EarthAndMoon_ConcurrentWritesThroughChaos_ConvergeAfterHeal(int seed) => RunCampaign(seed, tier1: false);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EarthMoonAndTier1BehindTheMoon_ConcurrentWritesThroughChaos_ConvergeAfterHeal(int seed) => RunCampaign(seed, tier1: true);

    private static void RunCampaign(int seed, bool tier1)
    {
        var topology = tier1 ? "earth-moon-tier1" : "earth-moon";
        var random = new Random(seed);
        string[] ids = tier1 ? ["earth", "moon", "tier1"] : ["earth", "moon"];
        var peers = tier1
            ? new Dictionary<string, string[]> { ["earth"] = ["moon"], ["moon"] = ["earth", "tier1"], ["tier1"] = ["moon"] }
            : new Dictionary<string, string[]> { ["earth"] = ["moon"], ["moon"] = ["earth"] };
        using var nodes = new TestNodes(peers, ids);
        var chaos = TimeSpan.FromSeconds(random.Next(90, 240));

        // One chaotic link per hop: the tier1 node talks only to the moon.
        var hops = new List<(string A, string B, TimeSpan Delay)> { ("earth", "moon", TimeSpan.FromMilliseconds(1280)) };
        if (tier1) hops.Add(("moon", "tier1", TimeSpan.FromMilliseconds(30)));
        var links = hops.Select((h, i) => nodes.Connect(h.A, h.B, Chaotic(random, h.Delay, chaos), seed * 31 + i)).ToList();
        var conditions = string.Join("; ", links.Select((l, i) =>
            $"{hops[i].A}-{hops[i].B}: loss {l.Conditions.Loss:F2}, dup {l.Conditions.Duplication:F2}, jitter {l.Conditions.ReorderJitter.TotalMilliseconds:F0}ms, " +
            $"blackouts [{string.Join(", ", l.Conditions.Blackouts.Select(b => $"{b.Start.TotalSeconds:F0}s+{b.Duration.TotalSeconds:F0}s"))}]"));
        var context = $"seed {seed} ({topology}, chaos {chaos.TotalSeconds:F0}s; {conditions})";

        using var approver = NodeKey.FromSeed("approver-alice", System.Security.Cryptography.SHA256.HashData("approver-alice"u8));
        var writer = new ChaosWriter(nodes, random, approver, tier1);
        var start = nodes.Time.GetUtcNow();
        var writes = 0;
        while (nodes.Time.GetUtcNow() - start < chaos)
        {
            var pause = TimeSpan.FromMilliseconds(random.Next(50, 4000));
            for (var t = TimeSpan.Zero; t < pause; t += Step) nodes.Time.Advance(Step);
            var roll = random.NextDouble();
            if (roll < 0.08)
            {
                var link = links[random.Next(links.Count)];
                if (link.IsUp) link.Cut(); else link.Restore();
            }
            else
            {
                writer.WriteSomething();
                writes++;
            }
        }

        // Heal: the chaotic contacts end, clean ones open (fresh syncs; the replicas keep what they know).
        foreach (var l in links) nodes.Disconnect(l);
        for (var i = 0; i < hops.Count; i++) nodes.Connect(hops[i].A, hops[i].B, new LinkConditions { OneWayDelay = hops[i].Delay }, seed * 31 + 10 + i);
        var healStart = nodes.Time.GetUtcNow();
        var converged = nodes.RunUntil(() => nodes.Converged(ids), HealBudget, TimeSpan.FromMilliseconds(250));
        Assert.True(converged, $"{context}: replicas did not converge within {HealBudget} of a clean link after {writes} writes.\n" +
            string.Join("\n", ids.Select(id => $"  {id}: {nodes[id].Fingerprint()[..16]} {nodes[id].Vector}")));

        // Every write made on any node is on every node (vectors equal and each holds its own stream).
        var union = ids.Aggregate(VersionVector.Empty, (v, id) => v.Merge(nodes[id].Vector));
        foreach (var id in ids) Assert.True(nodes[id].Vector.Equals(union), $"{context}: {id} lacks writes: {nodes[id].Vector} vs {union}");
        Assert.True(union.Total >= writes, $"{context}: {writes} writes but only {union.Total} deltas");

        // Once every peer has acknowledged everything, the logs fold away entirely.
        var quiet = nodes.RunUntil(() => ids.All(id => nodes[id].LogSize() == (0, 0, 0)), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(250));
        Assert.True(quiet, $"{context}: logs did not fold after convergence (healed in {(nodes.Time.GetUtcNow() - healStart).TotalSeconds:F0}s): " +
            string.Join(", ", ids.Select(id => $"{id} {nodes[id].LogSize()}")));
    }

    private static LinkConditions Chaotic(Random random, TimeSpan delay, TimeSpan chaos)
    {
        var blackouts = new List<Blackout>();
        var at = TimeSpan.FromSeconds(random.Next(5, 60));
        while (at < chaos - TimeSpan.FromSeconds(10) && blackouts.Count < 3)
        {
            var duration = TimeSpan.FromSeconds(random.Next(10, 120));
            blackouts.Add(new Blackout(at, duration));
            at += duration + TimeSpan.FromSeconds(random.Next(10, 90));
        }
        return new LinkConditions
        {
            OneWayDelay = delay,
            Loss = random.NextDouble() * 0.4,
            Duplication = random.NextDouble() * 0.3,
            ReorderJitter = TimeSpan.FromMilliseconds(random.Next(0, 5000)),
            Blackouts = blackouts,
        };
    }
}
