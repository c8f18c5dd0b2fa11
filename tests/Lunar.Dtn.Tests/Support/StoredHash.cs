using System.Security.Cryptography;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A SHA-256 of everything a replica store holds (state, vector, own deltas, kept intervals, peer acks, counters), each
/// part length-prefixed and in a fixed order: equal exactly when the stored contents are.
/// </summary>
public static class StoredHash
{
    public static string Of(StoredReplica stored)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(byte[] bytes)
        {
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        Add(stored.State.ToBytes());
        Add(Serialization.Serialize(stored.Vector));
        foreach (var d in stored.OwnDeltas.OrderBy(d => d.Dot)) Add(Serialization.Serialize(d));
        foreach (var i in stored.Intervals.OrderBy(i => i.Stream).ThenBy(i => i.From).ThenBy(i => i.To)) Add(Serialization.Serialize(i));
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
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
