using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Tests.Support;
using static Lunar.Dtn.Tests.Replication.SignedConstellations;

namespace Lunar.Dtn.Tests.Replication;

/// <summary>
/// New constellation versions travel as replicated records: they reach every replica (Tier 1 through the Moon),
/// each checks the chain itself and adopts the version; revoked approvers stop counting and revoked nodes are refused.
/// </summary>
public sealed class ConstellationReplicationTests : IDisposable
{
    private static readonly Dictionary<string, string[]> Chain = new()
    {
        ["earth"] = ["moon"],
        ["moon"] = ["earth", "tier1"],
        ["tier1"] = ["moon"],
    };

    private readonly Constellation _v1 = Version1("earth", "moon", "tier1");
    private readonly TestNodes _nodes;

    public ConstellationReplicationTests() => _nodes = new TestNodes(_v1.ToTrustStore(), Chain, "earth", "moon", "tier1");

    public void Dispose() => _nodes.Dispose();

    private void ConnectChain()
    {
        _nodes.Connect("earth", "moon", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(1280) });
        _nodes.Connect("moon", "tier1", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(30) });
    }

    private bool AllAt(int version) => _nodes.Replicas.Values.All(r => r.Trust.Version == version);

    [Fact]
    public void NewVersionWrittenOnEarth_ReachesMoonAndTier1ThroughTheMoon_AndEachAdoptsIt()
    {
        ConnectChain();
        var v2 = AddingApprover(_v1, "carol", "flight-director");

        Assert.True(_nodes["earth"].RecordConstellation(v2, "ops").Recorded);
        Assert.Equal(2, _nodes["earth"].Trust.Version);

        Assert.True(_nodes.RunUntil(() => AllAt(2), TimeSpan.FromSeconds(30)), "waiting for every replica to adopt version 2");
        foreach (var id in new[] { "moon", "tier1" })
        {
            var r = _nodes[id];
            Assert.True(r.Trust.ApproverKey("carol").Ok, $"{id} should know carol under version 2");
            Assert.Equal([2], r.ConstellationVersionsHeld);
            Assert.Contains(r.Read((s, _) => s.Audit.Values.ToArray()), a => a.Replica == id && a.Action == "constellation-adopted" && a.Details.Contains("version 2", StringComparison.Ordinal));
        }
        Assert.True(_nodes.RunUntil(() => _nodes.Converged("earth", "moon", "tier1"), TimeSpan.FromSeconds(30)), "waiting for convergence");
    }

    [Fact]
    public void TwoVersionsInARow_AreAdoptedInOrder_AndARootRotationIsFollowed()
    {
        ConnectChain();
        var v2 = Next(_v1, c => c, newRoot: NewRoot.PublicKeyHex); // signed by the old root, naming the new one
        var v3 = Revoking(v2, "alice", signer: NewRoot);

        Assert.True(_nodes["earth"].RecordConstellation(v2, "ops").Recorded);
        Assert.True(_nodes["earth"].RecordConstellation(v3, "ops").Recorded);

        Assert.True(_nodes.RunUntil(() => AllAt(3), TimeSpan.FromSeconds(30)), "waiting for every replica to adopt version 3");
        Assert.Equal(NewRoot.PublicKeyHex, _nodes["tier1"].Trust.Source!.Root);
        Assert.False(_nodes["tier1"].Trust.ApproverKey("alice").Ok);
    }

    [Fact]
    public void ApproverRevoked_TheirApprovalNoLongerCounts_QuorumDrops()
    {
        ConnectChain();
        var earth = _nodes["earth"];
        earth.DefineCampaign("c1", "ops", ctx => new CampaignDefinition { Name = new("kernel 6.12", ctx.Stamp, ctx.ReplicaId) });
        var hash = earth.Read((s, _) => s.Campaigns["c1"].Definition!.ContentHash("c1"));
        earth.AddApproval(Approval("c1", hash, "alice", "flight-director"));
        earth.AddApproval(Approval("c1", hash, "bob", "base-lead"));
        QuorumResult Quorum(string id) => _nodes[id].Read((s, _) => ApprovalQuorum.Evaluate(s, "c1", _nodes[id].Trust, QuorumPolicy.Default));
        Assert.True(_nodes.RunUntil(() => Quorum("tier1").Holds, TimeSpan.FromSeconds(30)), "waiting for the quorum to hold on tier1");

        Assert.True(earth.RecordConstellation(Revoking(_v1, "alice"), "ops").Recorded);
        Assert.True(_nodes.RunUntil(() => AllAt(2), TimeSpan.FromSeconds(30)), "waiting for every replica to adopt version 2");

        foreach (var id in new[] { "earth", "moon", "tier1" })
        {
            var q = Quorum(id);
            Assert.False(q.Holds, $"{id}: the quorum must drop once alice's key is revoked");
            Assert.Equal(["bob"], q.Counted.Select(c => c.ApproverId));
            var refused = Assert.Single(q.Refused, r => r.ApproverId == "alice");
            Assert.Equal("approver 'alice' signs with a key revoked in constellation version 2", refused.Reason);
            Assert.Contains(q.Missing, m => m.Contains("flight-director", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void NodeRevoked_ItsBundlesAreRejectedNamingTheRevocation_AndTheStoreIsUnchanged()
    {
        var moon = _nodes["moon"];
        Assert.True(_nodes["earth"].RecordConstellation(Revoking(_v1, "tier1"), "ops").Recorded);
        foreach (var b in _nodes["earth"].BuildBundles("moon", moon.Vector).Bundles) moon.Receive(b.Bytes);
        Assert.Equal(2, moon.Trust.Version);

        _nodes["tier1"].SetNote("srv-1", "written after the revocation", "mallory");
        var fromTier1 = _nodes["tier1"].BuildBundles("moon", moon.Vector).Bundles;
        Assert.NotEmpty(fromTier1);
        var before = StoreDigest.Of(moon, _nodes.StoreOf("moon"));

        foreach (var b in fromTier1)
        {
            var outcome = moon.Receive(b.Bytes);
            Assert.Equal(ReceiveStatus.Rejected, outcome.Status);
            Assert.Equal(RejectionCode.RevokedSigner, outcome.Rejection!.Code);
            Assert.Contains("node 'tier1' signs with a key revoked in constellation version 2", outcome.Rejection.Reason, StringComparison.Ordinal);
        }
        Assert.Equal(before, StoreDigest.Of(moon, _nodes.StoreOf("moon")));
    }

    [Fact]
    public void NodeRevoked_ItsDeltasAreNotForwarded_SoOtherOriginsStillFlow()
    {
        // The moon holds tier1's deltas from before the revocation; after it, forwarding them would get the moon's
        // whole bundle refused by earth. They stay behind, and the moon's own deltas still reach earth.
        var moon = _nodes["moon"];
        _nodes["tier1"].SetNote("srv-1", "before the revocation", "ops");
        foreach (var b in _nodes["tier1"].BuildBundles("moon", moon.Vector).Bundles) Assert.Equal(ReceiveStatus.Applied, moon.Receive(b.Bytes).Status);
        moon.RecordConstellation(Revoking(_v1, "tier1"), "ops");

        var bundles = moon.BuildBundles("earth", VersionVector.Empty).Bundles;
        foreach (var b in bundles) Assert.NotEqual(ReceiveStatus.Rejected, _nodes["earth"].Receive(b.Bytes).Status);

        Assert.Equal(2, _nodes["earth"].Trust.Version);
        Assert.Equal(0, _nodes["earth"].Vector.Get(new StreamId("tier1", Channel.Status)));
    }

    public static TheoryData<string, string> Forgeries() => new()
    {
        { "wrong-root", "not by the root key" },
        { "bad-signature", "signature does not match" },
        { "not-newer", "is not newer than version 2 in force" },
        { "gap", "version 3, whose root key must sign it, is not held here" },
        { "fork", "differs from the version 2 already known here" },
        { "not-json", "constellation version 3: not a constellation" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void ForgedVersion_InAGenuinelySignedInterval_IsRejectedAndChangesNothing(string forgery, string reason)
    {
        var moon = _nodes["moon"];
        var v2 = AddingApprover(_v1, "carol", "flight-director");
        Assert.True(_nodes["earth"].RecordConstellation(v2, "ops").Recorded);
        foreach (var b in _nodes["earth"].BuildBundles("moon", moon.Vector).Bundles) moon.Receive(b.Bytes);
        Assert.Equal(2, moon.Trust.Version);

        var record = forgery switch
        {
            "wrong-root" => Record(Revoking(v2, "alice", signer: Stranger)),
            "bad-signature" => Record(Revoking(v2, "alice") with { RevokedKeys = [] }), // tampered after signing
            "not-newer" => Record((_v1 with { RevokedKeys = [KeyOf("bob").PublicKeyHex], Signature = "" }).SignWith(Root)), // another version 1
            "gap" => Record(Revoking(Revoking(v2, "alice"), "bob")),
            "fork" => Record(Revoking(_v1, "bob")),
            _ => new ConstellationRecord(3, "{ not json"u8.ToArray()),
        };
        var bundle = EarthBundleCarrying(record);
        var before = StoreDigest.Of(moon, _nodes.StoreOf("moon"));

        var outcome = moon.Receive(bundle);

        Assert.Equal(ReceiveStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionCode.BadConstellation, outcome.Rejection!.Code);
        Assert.Contains(reason, outcome.Rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(before, StoreDigest.Of(moon, _nodes.StoreOf("moon")));
        Assert.Equal(2, moon.Trust.Version);
        Assert.Equal(v2.Signature, moon.Trust.Source!.Signature);
    }

    [Fact]
    public void ForgedVersion_SubmittedLocally_IsRefusedWithTheReason()
    {
        var earth = _nodes["earth"];
        var outcome = earth.RecordConstellation(Revoking(_v1, "alice", signer: Stranger), "ops");
        Assert.False(outcome.Recorded);
        Assert.Contains("not by the root key", outcome.Problem, StringComparison.Ordinal);
        Assert.Empty(earth.ConstellationVersionsHeld);
        Assert.Equal(1, earth.Trust.Version);
        Assert.True(earth.RecordConstellation(_v1, "ops").AlreadyKnown, "the version in force, submitted again, is already known");
    }

    [Fact]
    public void Restart_OnAStoreHoldingANewerVersion_UsesTheNewerVersion()
    {
        var store = new MemoryReplicaStore();
        var first = new Replica(new ReplicaOptions { Id = "earth" }, TestNodes.KeyFor("earth"), _v1.ToTrustStore(), store, _nodes.Time);
        first.RecordConstellation(Revoking(_v1, "alice"), "ops");
        first.RecordConstellation(Revoking(Revoking(_v1, "alice"), "bob"), "ops");

        var again = new Replica(new ReplicaOptions { Id = "earth" }, TestNodes.KeyFor("earth"), _v1.ToTrustStore(), store, _nodes.Time);

        Assert.Equal(3, again.Trust.Version);
        Assert.False(again.Trust.ApproverKey("bob").Ok);
    }

    /// <summary>A bundle from earth, genuinely signed by earth (bundle and interval), whose next control delta carries <paramref name="record"/>.</summary>
    private byte[] EarthBundleCarrying(ConstellationRecord record)
    {
        var earth = _nodes["earth"];
        var stream = new StreamId("earth", Channel.Control);
        var from = earth.Vector.Get(stream);
        var fragment = new ReplicaState();
        fragment.Constellations[record.MapKey] = record;
        var interval = SignedInterval.Create(stream, from, from + 1, earth.Now(), fragment, earth.Key);
        return BundleForge.Deltas(earth.Key, "moon", [interval], earth.Vector.With(stream, from + 1), _nodes.Time.GetUtcNow());
    }
}
