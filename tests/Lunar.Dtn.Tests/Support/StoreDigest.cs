using System.Security.Cryptography;
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
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(byte[] bytes)
        {
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        Add(stored.State.ToBytes());
        Add(Serialization.Serialize(stored.Vector));
        foreach (var d in stored.OwnDeltas) Add(Serialization.Serialize(d));
        foreach (var i in stored.Intervals) Add(Serialization.Serialize(i));
        foreach (var (peer, v) in stored.PeerAcks.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(System.Text.Encoding.UTF8.GetBytes(peer));
            Add(Serialization.Serialize(v));
        }
        foreach (var (k, v) in stored.Counters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(System.Text.Encoding.UTF8.GetBytes(k));
            Add(BitConverter.GetBytes(v));
        }
        var log = replica.LogSize();
        var acks = string.Join(";", replica.KnownPeers.Select(p => $"{p}={replica.AckedBy(p)}"));
        return new StoreDigest(Convert.ToHexStringLower(sha.GetHashAndReset()), store.Commits, replica.Fingerprint(), replica.Vector,
            $"log={log} acks={acks}");
    }
}
