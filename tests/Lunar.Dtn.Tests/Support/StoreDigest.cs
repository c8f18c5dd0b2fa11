using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A fingerprint of everything a replica holds, durable and in memory: the store's contents hashed
/// (state, vector, own deltas, kept intervals, peer acks, counters) and its commit count, plus the
/// replica's state fingerprint, vector, log sizes and peer acks. Two digests are equal exactly when
/// nothing observable changed.
/// </summary>
public sealed record StoreDigest(string StoreHash, int Commits, string Fingerprint, VersionVector Vector, string Replica)
{
    public static StoreDigest Of(Replica replica, MemoryReplicaStore store)
    {
        var stored = store.Load();
        var log = replica.LogSize();
        var acks = string.Join(";", replica.KnownPeers.Select(p => $"{p}={replica.AckedBy(p)}"));
        return new StoreDigest(StoredHash.Of(stored), store.Commits, replica.Fingerprint(), replica.Vector,
            $"log={log} acks={acks}");
    }
}
