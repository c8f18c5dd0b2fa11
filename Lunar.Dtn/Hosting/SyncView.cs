using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The JSON of GET /api/v1/sync: this node's vector and, per peer, whether the link is up, when it was last
/// heard from, what it has acknowledged, what it still lacks by priority, and what the link has carried.
/// </summary>
public sealed record SyncView(
    string Node, string Role, DateTimeOffset Now, IReadOnlyDictionary<string, long> Vector, IReadOnlyList<PeerView> Peers,
    long OwnDeltasHeld, long IntervalsHeld, long IntervalBytesHeld, IReadOnlyList<Transfer.IncomingProgress> ArtifactsIncoming)
{
    public static SyncView Of(Replica replica, NodeIdentity me, NodeLinks? links, Transfer.ArtifactReceiver? receiver = null)
    {
        var incoming = receiver?.InFlight() ?? [];
        var vector = replica.Vector;
        var now = replica.Time.GetUtcNow();
        var (own, intervals, intervalBytes) = replica.LogSize();
        var live = (links?.Peers ?? []).ToDictionary(p => p.Link.PeerId, StringComparer.Ordinal);
        var peers = replica.KnownPeers.Union(live.Keys).Distinct().Order(StringComparer.Ordinal).Select(p =>
        {
            var acked = replica.AckedBy(p);
            live.TryGetValue(p, out var l);
            var lastContact = l.Sync?.LastContact;
            return new PeerView(p,
                LinkUp: l.Link?.IsUp ?? false,
                LastContact: lastContact,
                SecondsSinceContact: lastContact is { } c ? Math.Round((now - c).TotalSeconds, 1) : null,
                Acknowledged: ToMap(acked),
                DeltasBehind: vector.CountMissingFrom(acked),
                Outbox: OutboxOf(replica, p, vector, acked, (l.Link as TcpPeerLink)?.QueuedBundles ?? 0),
                Sent: l.Sync is { } s ? new TrafficView(s.Counters.BundlesSent, s.Counters.BytesSent, s.Counters.BytesSentByPriority[0], s.Counters.BytesSentByPriority[1], s.Counters.BytesSentByPriority[2]) : null,
                Received: l.Sync is { } r ? new ReceivedView(r.Counters.BundlesReceived, r.Counters.BytesReceived, r.Counters.Duplicates, r.Counters.Rejected, r.Counters.LastRejection) : null,
                Retransmissions: l.Sync?.Counters.Retransmissions ?? 0,
                Artifacts: links?.Transfers.GetValueOrDefault(p) is { } t ? ArtifactTrafficView.Of(t, incoming) : null);
        }).ToArray();
        return new SyncView(me.Id, me.Role.ToString().ToLowerInvariant(), now, ToMap(vector), peers, own, intervals, intervalBytes, incoming);
    }

    private static OutboxView OutboxOf(Replica replica, string peer, VersionVector vector, VersionVector acked, int queued)
    {
        var o = replica.Outbox(peer);
        return new OutboxView(Missing(vector, acked, Channel.Control), Missing(vector, acked, Channel.Status), queued,
            new PriorityCounts(o.Bundles[0], o.Bundles[1], o.Bundles[2]), new PriorityCounts(o.Bytes[0], o.Bytes[1], o.Bytes[2]), o.IsSnapshot);
    }

    private static long Missing(VersionVector mine, VersionVector theirs, Channel channel) =>
        mine.Entries.Where(e => e.Stream.Channel == channel).Sum(e => Math.Max(0, e.Seq - theirs.Get(e.Stream)));

    private static IReadOnlyDictionary<string, long> ToMap(VersionVector v) => v.Entries.ToDictionary(e => e.Stream.ToString(), e => e.Seq);
}

/// <summary>One peer as this node sees it. <see cref="DeltasBehind"/> is how far behind the peer is believed to be.</summary>
public sealed record PeerView(
    string Id, bool LinkUp, DateTimeOffset? LastContact, double? SecondsSinceContact, IReadOnlyDictionary<string, long> Acknowledged,
    long DeltasBehind, OutboxView Outbox, TrafficView? Sent, ReceivedView? Received, long Retransmissions, ArtifactTrafficView? Artifacts);

/// <summary>
/// What this node holds in custody for a peer: deltas not yet acknowledged, the bundles and bytes it would send for
/// them now (by priority; a snapshot when the peer is behind the fold), and bundles queued on the live connection.
/// </summary>
public sealed record OutboxView(long ControlDeltas, long StatusDeltas, int QueuedBundles, PriorityCounts Bundles, PriorityCounts Bytes, bool Snapshot);

/// <summary>A count per priority.</summary>
public sealed record PriorityCounts(long Control, long Status, long Bulk);

public sealed record TrafficView(long Bundles, long Bytes, long ControlBytes, long StatusBytes, long BulkBytes);

public sealed record ReceivedView(long Bundles, long Bytes, long Duplicates, long Rejected, string? LastRejection);
