using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>What a server is and where it stands; written by the executor that owns it, per-field LWW.</summary>
[MessagePackObject]
public sealed record ServerInventory
{
    [Key(0)] public LwwRegister<string>? Hostname { get; init; }
    [Key(1)] public LwwRegister<string>? Site { get; init; }
    [Key(2)] public LwwRegister<string>? Cluster { get; init; }
    [Key(3)] public LwwRegister<int>? Tier { get; init; }
    [Key(4)] public LwwRegister<string>? RedundancyGroup { get; init; }
    [Key(5)] public LwwRegister<bool>? Staging { get; init; }
    /// <summary>The executor (Moon, or a Tier 1 node) that alone schedules this server and writes its status.</summary>
    [Key(6)] public LwwRegister<string>? OwnerNode { get; init; }
    [Key(7)] public LwwRegister<string>? Ip { get; init; }
    [Key(8)] public LwwRegister<string>? InstalledVersion { get; init; }

    public static ServerInventory? Merge(ServerInventory? a, ServerInventory? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        return new ServerInventory
        {
            Hostname = LwwRegister<string>.Merge(a.Hostname, b.Hostname),
            Site = LwwRegister<string>.Merge(a.Site, b.Site),
            Cluster = LwwRegister<string>.Merge(a.Cluster, b.Cluster),
            Tier = LwwRegister<int>.Merge(a.Tier, b.Tier),
            RedundancyGroup = LwwRegister<string>.Merge(a.RedundancyGroup, b.RedundancyGroup),
            Staging = LwwRegister<bool>.Merge(a.Staging, b.Staging),
            OwnerNode = LwwRegister<string>.Merge(a.OwnerNode, b.OwnerNode),
            Ip = LwwRegister<string>.Merge(a.Ip, b.Ip),
            InstalledVersion = LwwRegister<string>.Merge(a.InstalledVersion, b.InstalledVersion),
        };
    }
}
