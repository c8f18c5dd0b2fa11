using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

/// <summary>Custody and retransmission: what stays unacknowledged is sent again, ever more patiently, and never into a dead link.</summary>
public sealed class RetransmissionTests
{
    private static void Define(TestNodes nodes, string campaign) =>
        nodes["earth"].DefineCampaign(campaign, "alice", ctx => new CampaignDefinition { Name = new(campaign, ctx.Stamp, ctx.ReplicaId) });

    [Fact]
    public void PeerSync_LossyLink_RetransmitsUnacknowledgedBundles_AndConverges()
    {
        using var nodes = new TestNodes("earth", "moon");
        var link = nodes.Connect("earth", "moon", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(1280), Loss = 0.5 }, seed: 3);
        for (var i = 0; i < 5; i++)
        {
            Define(nodes, $"c{i}");
            nodes.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromHours(2), TimeSpan.FromMilliseconds(100)),
            "waiting for convergence over a link losing half the bundles");
        var (earthSync, _) = nodes.SyncsOf(link);
        Assert.True(earthSync.Counters.Retransmissions > 0, "half the bundles were lost, yet nothing was retransmitted");
        Assert.True(link.A.BundlesLost > 0, "the seeded link lost nothing: the test proves nothing");
        Assert.True(nodes.RunUntil(() => earthSync.Outstanding == 0, TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(100)),
            "waiting for the moon to acknowledge everything");
    }

    [Fact]
    public void PeerSync_LinkLosingEverything_BacksOffExponentially_UpToTheCap()
    {
        using var nodes = new TestNodes("earth", "moon");
        var sync = new SyncOptions
        {
            InitialRetransmit = TimeSpan.FromSeconds(1),
            MinRetransmit = TimeSpan.FromMilliseconds(200),
            MaxRetransmit = TimeSpan.FromSeconds(16),
        };
        var link = nodes.Connect("earth", "moon", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(100), Loss = 1.0 }, sync: sync);
        Define(nodes, "c1");

        var sends = new List<DateTimeOffset>();
        var seen = link.A.BundlesSent;
        var end = nodes.Time.GetUtcNow() + TimeSpan.FromMinutes(3);
        while (nodes.Time.GetUtcNow() < end)
        {
            nodes.Time.Advance(TimeSpan.FromMilliseconds(10));
            if (link.A.BundlesSent == seen) continue;
            seen = link.A.BundlesSent;
            // One push puts its bundles (control, status) on the wire one after another: count the burst once.
            if (sends.Count == 0 || nodes.Time.GetUtcNow() - sends[^1] > TimeSpan.FromMilliseconds(100)) sends.Add(nodes.Time.GetUtcNow());
        }

        var gaps = sends.Zip(sends.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        var shown = string.Join(", ", gaps.Select(g => g.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(gaps.Length >= 8, $"expected repeated retransmissions in 3 minutes, got gaps [{shown}]");
        for (var i = 0; i + 1 < 5; i++)
            Assert.True(gaps[i + 1] >= gaps[i] * 1.9, $"backoff does not double: gaps [{shown}]");
        Assert.All(gaps, g => Assert.True(g <= 16.05, $"backoff exceeds its 16 s cap: gaps [{shown}]"));
        Assert.True(gaps[^1] >= 15.95, $"backoff never reached its 16 s cap: gaps [{shown}]");
        var (earthSync, _) = nodes.SyncsOf(link);
        Assert.Equal(gaps.Length, earthSync.Counters.Retransmissions);
    }

    [Fact]
    public void PeerSync_LinkDown_SendsNothing_ThenCatchesUpWhenRestored()
    {
        using var nodes = new TestNodes("earth", "moon");
        var link = nodes.Connect("earth", "moon", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(1280) });
        var (earthSync, moonSync) = nodes.SyncsOf(link);
        link.Cut();
        var sentBefore = (link.A.BundlesSent, link.B.BundlesSent, earthSync.Counters.BundlesSent, moonSync.Counters.BundlesSent);

        for (var i = 0; i < 5; i++)
        {
            Define(nodes, $"c{i}");
            nodes["moon"].SetNote("m-1", $"note {i}", "bob");
            nodes.Time.Advance(TimeSpan.FromMinutes(10));
        }
        nodes.Time.Advance(TimeSpan.FromHours(6));

        Assert.Equal(sentBefore, (link.A.BundlesSent, link.B.BundlesSent, earthSync.Counters.BundlesSent, moonSync.Counters.BundlesSent));
        Assert.Equal(0, earthSync.Counters.Retransmissions + moonSync.Counters.Retransmissions);
        Assert.Equal(0, link.A.BundlesLost + link.B.BundlesLost);

        link.Restore();
        Assert.True(nodes.RunUntil(() => nodes.Converged("earth", "moon"), TimeSpan.FromSeconds(30)), "waiting for the catch-up after the link came back");
    }
}
