using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

/// <summary>Earth's deltas reach a Tier 1 node through the Moon still signed by Earth, and verified as Earth's there.</summary>
public sealed class RelayedSignatureTests
{
    private static readonly Dictionary<string, string[]> Chain = new()
    {
        ["earth"] = ["moon"],
        ["moon"] = ["earth", "tier1"],
        ["tier1"] = ["moon"],
    };

    [Fact]
    public void Receive_EarthApprovalRelayedByTheMoon_Tier1AppliesIt_AndTheIntervalIsSignedByEarth()
    {
        using var nodes = new TestNodes(Chain, "earth", "moon", "tier1");
        using var approver = NodeKey.FromSeed("approver-alice", System.Security.Cryptography.SHA256.HashData("approver-alice"u8));
        nodes.Connect("earth", "moon", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(1280) });
        var relay = nodes.Connect("moon", "tier1", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(30) });
        var fromMoon = new List<byte[]>();
        relay.B.Received += bytes => fromMoon.Add(bytes.ToArray());

        nodes["earth"].DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("kernel 6.12", ctx.Stamp, ctx.ReplicaId) });
        var approval = new ChaosWriter(nodes, new Random(1), approver, tier1: true).Approval("c1", ApprovalDecision.Approve, 1_800_000_000_000);
        nodes["earth"].AddApproval(approval);

        Assert.True(nodes.RunUntil(() => nodes["tier1"].Read((s, _) => s.Approvals.ContainsKey(approval.Id)), TimeSpan.FromSeconds(30)),
            "waiting for earth's approval to reach tier1 through the moon");
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon", "tier1"), TimeSpan.FromSeconds(30)), "waiting for convergence");
        var held = nodes["tier1"].Read((s, _) => s.Approvals[approval.Id]);
        Assert.Equal(approval.Signature, held.Signature);

        // What crossed the moon-tier1 link: bundles sealed by the moon, carrying intervals signed by earth.
        var now = nodes.Time.GetUtcNow();
        var earthControl = fromMoon
            .Where(b => BundleCodec.PeekHeader(b)!.Kind == BundleKind.Deltas)
            .SelectMany(b =>
            {
                Assert.Equal("moon", BundleCodec.PeekHeader(b)!.Source);
                return BundleForge.IntervalsOf(b, nodes.Trust, "tier1", now);
            })
            .Where(i => i.Stream == new StreamId("earth", Channel.Control))
            .ToArray();
        Assert.NotEmpty(earthControl);
        var carrying = Assert.Single(earthControl.Where(i => Serialization.Deserialize<ReplicaState>(i.Fragment).Approvals.ContainsKey(approval.Id)).DistinctBy(i => (i.From, i.To)));
        Assert.Equal("earth", carrying.Stream.Origin);
        Assert.True(carrying.VerifyWith(nodes["earth"].Key.PublicKey), "the relayed interval must verify with earth's key");
        Assert.False(carrying.VerifyWith(nodes["moon"].Key.PublicKey), "the relayed interval must not verify with the moon's key");
    }
}
