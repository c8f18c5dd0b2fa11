using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Testing;
using Microsoft.Extensions.Time.Testing;
using static Lunar.Dtn.Tests.Durability.HostProcess;

namespace Lunar.Dtn.Tests.Durability;

/// <summary>
/// Real processes, LiteDB on disk, a file drop between them, and SIGKILL in the middle of a transfer.
/// What must hold: nothing acknowledged (to a peer or to the writer) is lost, nothing is applied twice,
/// and the two replicas converge to the state of a run without crashes.
/// </summary>
[Collection(nameof(KillNineTests))] // two at once would share two cores with four processes
public sealed class KillNineTests
{
    private static readonly string[] Many = ["--bundle-bytes", "512", "--interval-deltas", "5"];

    [Fact]
    public void ReceiverKilledMidCatchUp_KeepsAllItAcknowledged_AppliesNothingTwice_AndConverges()
    {
        const int writes = 1200;
        const int servers = 120;
        using var run = new DurabilityRun("kill-receiver");
        File.WriteAllText(run.DownMarker, "");
        using var earth = run.Start("earth", "moon", ["--write-status", $"{writes}", "--servers", $"{servers}", .. Many]);
        run.Wait(() => earth.Has($"written {writes}"), $"earth to write its {writes} status changes while the link is down");
        using var moon1 = run.Start("moon", "earth", Many);
        run.Wait(() => moon1.Last("ready") is not null, "moon to start");

        File.Delete(run.DownMarker);
        run.Wait(() => Long(moon1.LastValue("applied", "total")) >= writes / 5, "moon to apply a fifth of the catch-up");
        moon1.Kill();

        // Whatever moon wrote before it died (acknowledgements) reaches earth first; then earth's record is final.
        var leftovers = run.Inbox("earth");
        run.Wait(() => leftovers.All(n => earth.Has("delivered " + n)), $"earth to take in the {leftovers.Length} bundles moon left");
        var acked = run.Read(() => StatusScript.ParseVector(earth.Last("acked")?["acked ".Length..] ?? "-"));

        using var moon2 = run.Start("moon", "earth", Many);
        run.Wait(() => moon2.Last("ready") is not null, "moon to restart");
        var (held, heldTotal) = run.Read(() => (StatusScript.ParseVector(moon2.LastValue("ready", "vector")!), Long(moon2.LastValue("ready", "total"))));
        foreach (var (stream, seq) in acked)
            Assert.True(held.GetValueOrDefault(stream) >= seq,
                $"earth recorded moon's acknowledgement of {stream} up to {seq}, but moon restarted holding {held.GetValueOrDefault(stream)}: acknowledged deltas were lost");
        Assert.True(heldTotal < writes, "the kill landed after the catch-up completed, so nothing was interrupted");
        Assert.True(heldTotal > 0, "moon restarted with nothing: the kill landed before anything was applied");

        run.Wait(() => Long(moon2.LastValue("state", "total")) == writes && AckTotal(earth) == writes,
            $"moon to hold all {writes} deltas and earth to record that acknowledgement", seconds: 60);
        var (earthFp, moonFp, appliedAfter) = run.Read(() => (earth.LastValue("state", "fp"), moon2.LastValue("state", "fp"),
            moon2.Lines("applied").Sum(l => long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(writes, heldTotal + appliedAfter); // every delta applied exactly once across the restart
        Assert.Equal(earthFp, moonFp);
        Assert.Equal(CleanRun(writes, servers).Fingerprint(), moonFp);
        Assert.True(earth.Exit(TimeSpan.FromSeconds(10)), "earth to exit cleanly when its stdin closes");
        Assert.True(moon2.Exit(TimeSpan.FromSeconds(10)), "moon to exit cleanly when its stdin closes");
    }

    [Fact]
    public void SenderKilledMidSend_LosesNoWriteItReported_NorAnyDeltaThePeerHolds_AndConverges()
    {
        const int writes = 800;
        const int servers = 100;
        string[] script = ["--write-status", $"{writes}", "--servers", $"{servers}", "--audit", .. Many];
        using var run = new DurabilityRun("kill-sender");
        using var moon = run.Start("moon", "earth", Many);
        run.Wait(() => moon.Last("ready") is not null, "moon to start");
        using var earth1 = run.Start("earth", "moon", script);
        // Each write is a status delta and an audit delta.
        run.Wait(() => Long(moon.LastValue("applied", "total")) >= writes / 2, "moon to receive a quarter of earth's deltas while earth writes and sends");
        earth1.Kill();
        var reported = run.Read(() => earth1.Lines("wrote").Select(l => Long(l.Split(' ')[1])).DefaultIfEmpty(0).Max());
        Assert.True(reported < writes, "the kill landed after earth had written everything, so no write was interrupted");

        var leftovers = run.Inbox("moon");
        run.Wait(() => leftovers.All(n => moon.Has("delivered " + n)), $"moon to take in the {leftovers.Length} bundles earth left");
        var moonHeld = run.Read(() => Long(moon.LastValue("applied", "total")));

        using var earth2 = run.Start("earth", "moon", script);
        run.Wait(() => earth2.Last("ready") is not null, "earth to restart");
        var (done, total) = run.Read(() => (Long(earth2.LastValue("ready", "done")), Long(earth2.LastValue("ready", "total"))));
        Assert.True(done >= reported, $"earth reported write {reported} before the kill but restarted with {done} writes");
        Assert.True(total >= moonHeld, $"moon holds {moonHeld} of earth's deltas but earth restarted with {total}: moon has deltas earth lost (their dots would be reused)");

        run.Wait(() => earth2.Has($"written {writes}") && Long(moon.LastValue("state", "total")) == 2 * writes &&
                Long(earth2.LastValue("state", "total")) == 2 * writes && AckTotal(earth2) == 2 * writes,
            $"earth to finish its {writes} writes and moon to hold and acknowledge all {2 * writes} deltas", seconds: 60);
        run.Read(() =>
        {
            var clean = StatusScript.ServersHash(CleanRun(writes, servers).Read((s, _) => s));
            foreach (var node in new[] { earth2, moon })
            {
                var state = node.Last("state");
                Assert.Equal($"{writes}", Value(state, "done"));
                Assert.Equal($"{writes}", Value(state, "audit")); // one entry per write: none lost, none doubled
                Assert.Equal("ok", Value(state, "chain"));
                Assert.Equal(clean, Value(state, "servers"));
            }
            Assert.Equal(earth2.LastValue("state", "fp"), moon.LastValue("state", "fp"));
        });
        Assert.True(earth2.Exit(TimeSpan.FromSeconds(10)), "earth to exit cleanly when its stdin closes");
        Assert.True(moon.Exit(TimeSpan.FromSeconds(10)), "moon to exit cleanly when its stdin closes");
    }

    private static long AckTotal(HostProcess node) =>
        StatusScript.ParseVector(node.Last("acked")?["acked ".Length..] ?? "-").Values.Sum();

    /// <summary>The same writes in one process, never interrupted.</summary>
    private static Replica CleanRun(int writes, int servers)
    {
        var replica = new Replica(new ReplicaOptions { Id = "earth", Peers = ["moon"] }, TestConstellation.KeyFor("earth"),
            TestConstellation.Trust(), new MemoryReplicaStore(), new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        for (var k = 1; k <= writes; k++) StatusScript.Write(replica, k, servers, audit: false);
        return replica;
    }
}
