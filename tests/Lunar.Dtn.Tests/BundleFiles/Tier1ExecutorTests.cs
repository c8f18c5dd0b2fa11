using Lunar.Dtn.Crdt;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>
/// The Tier 1 node executes its own cluster: it starts a server only with a quorum it verified itself, and the Moon
/// never schedules a server the Tier 1 node owns (the partition rule: an executor schedules only the servers whose
/// agents registered with it).
/// </summary>
public sealed class Tier1ExecutorTests : IDisposable
{
    private readonly UsbWorld _world = new();

    [Fact]
    public void Tier1Node_StartsNoServer_UntilItHasVerifiedTheQuorumItself()
    {
        // Earth: only alice signed. The Moon then slips in an approval claiming to be bob's, signed with its own key.
        _world.EarthPlansTier1Campaign("alice");
        _world.Carry("moon", _world.Stick("earth", "moon", "e2m-1.ldbf"));
        using (var moon = _world.Open("moon"))
        using (var moonKey = NodeKey.Load(Path.Combine(_world.ConstellationDir, "moon.key")))
        {
            var hash = moon.Replica.Read((s, _) => s.Campaigns[UsbWorld.CampaignId].Definition!.ContentHash(UsbWorld.CampaignId));
            var signature = moonKey.Sign(ApprovalRecord.SigningBytes(UsbWorld.CampaignId, hash, ApprovalDecision.Approve, "bob", "base-lead", 1_800_000_200_000));
            moon.Replica.AddApproval(new ApprovalRecord(ApprovalRecord.IdFor(signature), UsbWorld.CampaignId, hash, ApprovalDecision.Approve, "bob", "base-lead",
                1_800_000_200_000, signature));
        }
        _world.Carry("tier1-alpha", _world.Stick("moon", "tier1-alpha", "m2t-1.ldbf"));

        using (var tier1 = _world.Open("tier1-alpha"))
        {
            var executor = Tier1Executor(tier1);
            Register(executor, "t1-a", "rg-1");
            Register(executor, "t1-b", "rg-2");
            Assert.Equal(0, executor.Tick());
            Assert.All(new[] { "t1-a", "t1-b" }, id => Assert.Null(tier1.Replica.Read((s, _) => s.Servers[id].Status)));
            var quorum = tier1.Replica.Read((s, _) => ApprovalQuorum.Evaluate(s, UsbWorld.CampaignId, tier1.Replica.Trust, QuorumPolicy.Default));
            Assert.False(quorum.Holds);
            Assert.Contains(quorum.Refused, r => r.ApproverId == "bob" && r.Reason.Contains("signature does not match", StringComparison.Ordinal));
        }

        // Bob really signs on Earth; the next sticks bring it; now the Tier 1 node starts its servers, one per group at a time.
        using (var earth = _world.Open("earth")) earth.Replica.AddApproval(_world.Sign(earth.Replica, "bob"));
        _world.Carry("moon", _world.Stick("earth", "moon", "e2m-2.ldbf"));
        _world.Carry("tier1-alpha", _world.Stick("moon", "tier1-alpha", "m2t-2.ldbf"));
        using (var tier1 = _world.Open("tier1-alpha"))
        {
            var executor = Tier1Executor(tier1);
            Assert.Equal(2, executor.Tick());
            Assert.All(new[] { "t1-a", "t1-b" }, id => Assert.Equal(UpgradePhase.Queued, tier1.Replica.Read((s, _) => s.Servers[id].Status!.Phase)));
        }
    }

    [Fact]
    public void Moon_NeverSchedulesOrTakesOverTheServersATier1NodeOwns()
    {
        _world.Carry("tier1-alpha", _world.CampaignOnMoonStickForTier1());
        using (var tier1 = _world.Open("tier1-alpha")) Register(Tier1Executor(tier1), "t1-a", "rg-1");
        _world.Carry("moon", _world.Stick("tier1-alpha", "moon", "t2m.ldbf"));

        using var moon = _world.Open("moon");
        Assert.Equal("tier1-alpha", moon.Replica.Read((s, _) => s.Servers["t1-a"].Inventory!.OwnerNode!.Value));
        var moonExecutor = new Executor(moon.Replica, new ExecutorOptions(), QuorumPolicy.Default);
        Assert.True(moon.Replica.Read((s, _) => ApprovalQuorum.Evaluate(s, UsbWorld.CampaignId, moon.Replica.Trust, QuorumPolicy.Default).Holds));
        Assert.Equal(0, moonExecutor.Tick());
        Assert.Null(moon.Replica.Read((s, _) => s.Servers["t1-a"].Status));
        // An agent of that server pointed at the Moon by mistake is refused, not taken over.
        var outcome = moonExecutor.Report("t1-a", new AgentReport(null, null, "idle", null, null, "alpha", "tier1-alpha", 1, "rg-1", false));
        Assert.Equal(ReportStatus.Conflict, outcome.Status);
        Assert.Contains("belongs to executor 'tier1-alpha'", outcome.Problem, StringComparison.Ordinal);
        Assert.Equal("tier1-alpha", moon.Replica.Read((s, _) => s.Servers["t1-a"].Inventory!.OwnerNode!.Value));
    }

    [Fact]
    public void Tier1Node_WaitsForTheMoonsStagingPoolToBeGreen_AsItsSticksReportIt()
    {
        _world.EarthPlansCampaign([], "alice", "bob");
        _world.Carry("moon", _world.Stick("earth", "moon", "e2m.ldbf"));
        using (var moon = _world.Open("moon"))
        {
            var outcome = new Executor(moon.Replica, new ExecutorOptions(), QuorumPolicy.Default)
                .Report("stg-1", new AgentReport(null, null, "idle", null, null, "base", "staging", 3, "rg-stg", true));
            Assert.Equal(ReportStatus.Accepted, outcome.Status);
        }
        _world.Carry("tier1-alpha", _world.Stick("moon", "tier1-alpha", "m2t-1.ldbf"));
        using (var tier1 = _world.Open("tier1-alpha"))
        {
            var executor = Tier1Executor(tier1);
            Register(executor, "t1-a", "rg-1");
            Assert.Equal(0, executor.Tick());
        }

        // The Moon upgrades its staging server; the next stick says so; now Tier 1 may start.
        using (var moon = _world.Open("moon"))
        {
            var executor = new Executor(moon.Replica, new ExecutorOptions(), QuorumPolicy.Default);
            Assert.Equal(1, executor.Tick());
            Assert.Equal(ReportStatus.Accepted, executor.Report("stg-1", new AgentReport(UsbWorld.CampaignId, 1, "complete", null, "3.1.0", null, null, null, null, null, 1)).Status);
        }
        _world.Carry("tier1-alpha", _world.Stick("moon", "tier1-alpha", "m2t-2.ldbf"));
        using (var tier1 = _world.Open("tier1-alpha")) Assert.Equal(1, Tier1Executor(tier1).Tick());
    }

    private static Executor Tier1Executor(NodeRuntime tier1) => new(tier1.Replica, new ExecutorOptions(), QuorumPolicy.Default);

    private static void Register(Executor executor, string serverId, string group)
    {
        var outcome = executor.Report(serverId, new AgentReport(null, null, "idle", null, null, "alpha", "tier1-alpha", 1, group, false));
        Assert.Equal(ReportStatus.Accepted, outcome.Status);
    }

    public void Dispose() => _world.Dispose();
}
