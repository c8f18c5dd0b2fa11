using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>The servers a benchmark puts into a replica: srv-00000, srv-00001, ... at Shackleton, 16 clusters, Tier 3.</summary>
public static class BenchFleet
{
    public static string ServerId(int i) => $"srv-{i:D5}";

    /// <summary>The change that registers server <paramref name="i"/>, owned by the writing replica.</summary>
    public static LocalChange Register(int i) => new(Channel.Status, ctx =>
    {
        var id = ServerId(i);
        var fragment = new ReplicaState();
        fragment.Servers[id] = new ServerRecord(new ServerInventory
        {
            Hostname = new(id, ctx.Stamp, ctx.ReplicaId),
            Site = new("shackleton", ctx.Stamp, ctx.ReplicaId),
            Cluster = new($"k{i % 16}", ctx.Stamp, ctx.ReplicaId),
            Tier = new(3, ctx.Stamp, ctx.ReplicaId),
            OwnerNode = new(ctx.ReplicaId, ctx.Stamp, ctx.ReplicaId),
        }, null, null);
        return fragment;
    });
}
