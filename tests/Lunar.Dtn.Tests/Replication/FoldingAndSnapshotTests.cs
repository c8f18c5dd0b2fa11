using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

/// <summary>Causal stability: logs fold once every peer acknowledged; a peer behind the fold gets a snapshot.</summary>
public sealed class FoldingAndSnapshotTests
{
    private static readonly LinkConditions Light = new() { OneWayDelay = TimeSpan.FromMilliseconds(1280) };
    private static readonly LinkConditions Local = new() { OneWayDelay = TimeSpan.FromMilliseconds(30) };
    private static readonly Dictionary<string, string[]> Chain = new()
    {
        ["earth"] = ["moon"],
        ["moon"] = ["earth", "tier1"],
        ["tier1"] = ["moon"],
    };

    private static NodeKey Approver() => NodeKey.FromSeed("approver-alice", System.Security.Cryptography.SHA256.HashData("approver-alice"u8));

    private static void WriteWork(TestNodes nodes, string id, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"c{i}";
            nodes[id].DefineCampaign(name, "alice", ctx => new CampaignDefinition { Name = new(name, ctx.Stamp, ctx.ReplicaId) });
            nodes[id].SetNote($"m-{i}", $"note {i}", "alice");
            nodes.Time.Advance(TimeSpan.FromMilliseconds(7));
        }
    }

    [Fact]
    public void Fold_OwnLog_ShrinksOnceTheOnlyPeerAcknowledged()
    {
        using var nodes = new TestNodes(Chain, "earth", "moon", "tier1");
        var toTier1 = nodes.Connect("moon", "tier1", Local);
        toTier1.Cut();
        nodes.Connect("earth", "moon", Light);
        WriteWork(nodes, "earth", 10);
        Assert.True(nodes["earth"].LogSize().OwnDeltas >= 20, "earth logs its own deltas until the moon acknowledges them");

        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromMinutes(1)), "waiting for earth and moon to converge");
        Assert.True(nodes.RunUntil(() => nodes["earth"].LogSize().OwnDeltas == 0, TimeSpan.FromMinutes(1)),
            $"waiting for earth's own log to fold once the moon acknowledged: {nodes["earth"].LogSize()}");

        // The moon keeps earth's signed intervals: tier1, its other configured peer, has not acknowledged them.
        nodes.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(nodes["moon"].LogSize().ForwardIntervals > 0, "the moon folded intervals tier1 never acknowledged");

        toTier1.Restore();
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon", "tier1"), TimeSpan.FromMinutes(1)), "waiting for tier1 to catch up");
        Assert.True(nodes.RunUntil(() => nodes["moon"].LogSize() == (0, 0, 0), TimeSpan.FromMinutes(1)),
            $"waiting for the moon's kept intervals to fold once tier1 acknowledged: {nodes["moon"].LogSize()}");
        Assert.Equal((0, 0, 0), nodes["tier1"].LogSize());
    }

    [Fact]
    public void Receive_IntervalArrivingAfterThePeerAlreadyAcknowledgedIt_IsFoldedAtOnce()
    {
        // Regression: kept intervals folded only when an ack advanced. An interval that arrives late (held
        // behind a gap, then drained) after the sender's ack already covered it stayed in the log for good.
        using var nodes = new TestNodes(Chain, "earth", "moon", "tier1");
        Replica earth = nodes["earth"], moon = nodes["moon"], tier1 = nodes["tier1"];
        var bundles = new List<byte[]>();
        for (var i = 0; i < 2; i++)
        {
            earth.SetNote("m-1", $"note {i}", "alice");
            foreach (var b in earth.BuildBundles("moon", moon.Vector).Bundles) Assert.Equal(ReceiveStatus.Applied, moon.Receive(b.Bytes).Status);
            bundles.Add(moon.BuildBundles("tier1", tier1.Vector.Merge(bundles.Count == 0 ? VersionVector.Empty : moon.Vector.With(new StreamId("earth", Channel.Status), 1))).Bundles.Single().Bytes);
        }

        Assert.Equal(ReceiveStatus.Held, tier1.Receive(bundles[1]).Status); // the later interval first: held, ack advances
        Assert.Equal(ReceiveStatus.Applied, tier1.Receive(bundles[0]).Status); // the gap closes, no new ack

        Assert.Equal(2, tier1.Vector.Get(new StreamId("earth", Channel.Status)));
        Assert.Equal((0, 0, 0), tier1.LogSize());
        Assert.Empty(nodes.StoreOf("tier1").Load().Intervals);
    }

    [Fact]
    public void Receive_IntervalKeptAndFoldedInOneCommit_LeavesNothingInTheStore_AndARestartAgrees()
    {
        // Regression: an interval kept for forwarding and folded by the same receive (the sender was the
        // only peer and its vector already covered it) went into the commit as both added and removed;
        // the store applies removals first, so it stayed on disk while memory had dropped it.
        using var nodes = new TestNodes(Chain, "earth", "moon", "tier1");
        Replica earth = nodes["earth"], moon = nodes["moon"], tier1 = nodes["tier1"];
        earth.SetNote("m-1", "note", "alice");
        foreach (var b in earth.BuildBundles("moon", moon.Vector).Bundles) Assert.Equal(ReceiveStatus.Applied, moon.Receive(b.Bytes).Status);
        foreach (var b in moon.BuildBundles("tier1", tier1.Vector).Bundles) Assert.Equal(ReceiveStatus.Applied, tier1.Receive(b.Bytes).Status);

        Assert.Equal((0, 0, 0), tier1.LogSize());
        Assert.Empty(nodes.StoreOf("tier1").Load().Intervals);
        var restarted = new Replica(new ReplicaOptions { Id = "tier1", Peers = ["moon"] }, TestNodes.KeyFor("tier1"), nodes.Trust, nodes.StoreOf("tier1"), nodes.Time);
        Assert.Equal((0, 0, 0), restarted.LogSize());
        Assert.Equal(tier1.Fingerprint(), restarted.Fingerprint());
    }

    [Fact]
    public void BuildBundles_ForANewPeerBehindTheFoldHorizon_SendsASnapshot_ThatConverges_AndKeepsApprovalSignatures()
    {
        using var nodes = new TestNodes("earth", "moon", "late");
        using var approver = Approver();
        var writer = new ChaosWriter(nodes, new Random(7), approver, tier1: false);
        nodes.Connect("earth", "moon", Light);
        WriteWork(nodes, "earth", 5);
        var approvals = Enumerable.Range(0, 3).Select(i => writer.Approval($"c{i}", ApprovalDecision.Approve, 1_800_000_000_000 + i)).ToArray();
        foreach (var a in approvals) nodes["earth"].AddApproval(a);
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromMinutes(1)), "waiting for earth and moon to converge");
        Assert.True(nodes.RunUntil(() => nodes["earth"].LogSize().OwnDeltas == 0, TimeSpan.FromMinutes(1)), "waiting for earth's log to fold");

        // Earth no longer holds the deltas a newcomer needs: only a snapshot can bring it up to date.
        Assert.True(nodes["earth"].BuildBundles("late", VersionVector.Empty).IsSnapshot, "an empty peer behind the fold gets a snapshot");
        var partial = VersionVector.Empty.With(new StreamId("earth", Channel.Control), 2);
        Assert.True(nodes["earth"].BuildBundles("late", partial).IsSnapshot, "a peer whose ack is behind the fold gets a snapshot");

        var link = nodes.Connect("earth", "late", Light);
        var kinds = new List<BundleKind>();
        link.B.Received += bytes => kinds.Add(BundleCodec.PeekHeader(bytes.Span)!.Kind);
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon", "late"), TimeSpan.FromMinutes(2)), "waiting for the late replica to converge");
        Assert.Contains(BundleKind.Snapshot, kinds);

        var held = nodes["late"].Read((s, _) => s.Approvals.Values.ToArray());
        Assert.Equal(approvals.Length, held.Length);
        foreach (var original in approvals)
        {
            var copy = Assert.Single(held, a => a.Id == original.Id);
            Assert.Equal(original.Signature, copy.Signature);
            Assert.True(NodeKey.Verify(approver.PublicKey, copy.SigningBytes(), copy.Signature), $"approval {copy.Id} no longer verifies after the snapshot");
        }
    }

    [Fact]
    public void BuildBundles_WhenTheRelayFoldedAnUnconfiguredPeersDeltas_SendsASnapshotThroughTheRelay()
    {
        // Without configured peers the moon only knows peers that spoke: tier1, silent and cut off, does not
        // hold back the fold, so on reconnection it is behind the moon's fold horizon.
        using var nodes = new TestNodes("earth", "moon", "tier1");
        var toTier1 = nodes.Connect("moon", "tier1", Local);
        toTier1.Cut();
        nodes.Connect("earth", "moon", Light);
        WriteWork(nodes, "earth", 4);
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon") && nodes["moon"].LogSize() == (0, 0, 0), TimeSpan.FromMinutes(1)),
            "waiting for the moon to converge and fold");

        var kinds = new List<BundleKind>();
        toTier1.B.Received += bytes => kinds.Add(BundleCodec.PeekHeader(bytes.Span)!.Kind);
        toTier1.Restore();
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon", "tier1"), TimeSpan.FromMinutes(1)), "waiting for tier1 to converge");
        Assert.Equal(BundleKind.Snapshot, kinds[0]);
    }
}
