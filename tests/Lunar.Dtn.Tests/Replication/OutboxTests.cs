using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Replication;

public sealed class OutboxTests
{
    [Fact]
    public void Outbox_UnacknowledgedChanges_ShowBundlesAndBytesByPriority_AndEmptiesOnceAcknowledged()
    {
        using var nodes = new TestNodes("earth", "moon");
        var link = nodes.Connect("earth", "moon", new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(100) });
        link.Cut();
        nodes["earth"].DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("c", ctx.Stamp, ctx.ReplicaId) });
        nodes["earth"].SetNote("srv-1", "hold", "alice");

        var pending = nodes["earth"].Outbox("moon");
        Assert.Equal(1, pending.Bundles[0]);
        Assert.Equal(1, pending.Bundles[1]);
        Assert.True(pending.Bytes[0] > 100 && pending.Bytes[1] > 100, $"control {pending.Bytes[0]} B, status {pending.Bytes[1]} B");
        Assert.False(pending.IsSnapshot);

        link.Restore();
        Assert.True(nodes.RunUntil(() => nodes["earth"].AckedBy("moon").Dominates(nodes["earth"].Vector), TimeSpan.FromSeconds(10)), "waiting for the moon's acknowledgement");
        var drained = nodes["earth"].Outbox("moon");
        Assert.All(drained.Bytes, b => Assert.Equal(0, b));
    }
}
