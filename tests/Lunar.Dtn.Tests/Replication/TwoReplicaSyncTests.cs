using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

public sealed class TwoReplicaSyncTests
{
    private static readonly LinkConditions Light = new() { OneWayDelay = TimeSpan.FromMilliseconds(1280) };

    [Fact]
    public void CampaignCreatedOnEarth_AppearsOnMoon_AfterOneLightTime()
    {
        using var nodes = new TestNodes("earth", "moon");
        nodes.Connect("earth", "moon", Light);
        nodes["earth"].DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("first", ctx.Stamp, ctx.ReplicaId) });

        Assert.True(nodes.RunUntil(() => nodes["moon"].Read((s, _) => s.Campaigns.ContainsKey("c1")), TimeSpan.FromSeconds(10)),
            "waiting for campaign c1 to reach the moon");
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromSeconds(10)), "waiting for convergence");
    }

    [Fact]
    public void ConcurrentPauseOnEarthAndResumeOnMoon_ConvergeToPaused_AndBothAuditLogsShowTheConflict()
    {
        using var nodes = new TestNodes("earth", "moon");
        var link = nodes.Connect("earth", "moon", Light);
        nodes["earth"].DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("c", ctx.Stamp, ctx.ReplicaId) });
        nodes["earth"].Control("c1", CampaignControl.Run, "alice");
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromSeconds(30)), "initial convergence");

        link.Cut();
        nodes["earth"].Control("c1", CampaignControl.Pause, "alice");
        nodes.Time.Advance(TimeSpan.FromSeconds(5)); // the moon's write is later in wall time, yet concurrent
        nodes["moon"].Control("c1", CampaignControl.Run, "bob");
        link.Restore();

        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromSeconds(30)), "convergence after the cut");
        foreach (var id in new[] { "earth", "moon" })
        {
            Assert.Equal(CampaignControl.Pause, nodes[id].Read((s, _) => s.Campaigns["c1"].EffectiveControl));
            Assert.Contains(nodes[id].Read((s, _) => s.Audit.Values.ToArray()),
                e => e.Action == "control-conflict" && e.Replica == id && e.Details.Contains("pause wins"));
        }

        // A resume written after the pause was seen supersedes it.
        nodes["moon"].Control("c1", CampaignControl.Run, "bob");
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromSeconds(30)), "convergence after resume");
        Assert.Equal(CampaignControl.Run, nodes["earth"].Read((s, _) => s.Campaigns["c1"].EffectiveControl));
    }
}
