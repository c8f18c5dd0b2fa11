using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Hosting;

/// <summary>The JSON of GET /api/v1/sync: this node's vector and, per peer, what it has acknowledged and what it still lacks.</summary>
public sealed record SyncView(string Node, string Role, IReadOnlyDictionary<string, long> Vector, IReadOnlyList<PeerView> Peers, long OwnDeltasHeld, long IntervalsHeld)
{
    public static SyncView Of(Replica replica, NodeIdentity me)
    {
        var vector = replica.Vector;
        var (own, intervals, _) = replica.LogSize();
        var peers = replica.KnownPeers.Select(p =>
        {
            var acked = replica.AckedBy(p);
            return new PeerView(p, ToMap(acked), vector.CountMissingFrom(acked));
        }).ToArray();
        return new SyncView(me.Id, me.Role.ToString().ToLowerInvariant(), ToMap(vector), peers, own, intervals);
    }

    private static IReadOnlyDictionary<string, long> ToMap(VersionVector v) => v.Entries.ToDictionary(e => e.Stream.ToString(), e => e.Seq);
}

/// <summary>One peer as this node sees it.</summary>
public sealed record PeerView(string Id, IReadOnlyDictionary<string, long> Acknowledged, long DeltasBehind);
