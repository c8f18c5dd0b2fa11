using System.Globalization;
using System.Security.Cryptography;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Testing;

/// <summary>
/// The writes of the durability tests, deterministic in everything but hybrid time: write k (from 1) sets
/// the status of one server from its position alone, so a run interrupted and resumed at any write ends
/// with exactly the servers of a clean run. Compiled into the test assembly and the replica host.
/// </summary>
internal static class StatusScript
{
    private const string Prefix = "srv-";

    public static void Write(Replica replica, long k, int servers, bool audit)
    {
        var server = Prefix + (k % servers).ToString("D4", CultureInfo.InvariantCulture);
        replica.SetStatus(server, (_, seq) => new ServerStatus("camp-1", 1, seq, (UpgradePhase)(k % 9), k, $"v{k}", null, 0),
            audit ? new AuditNote("script", "status", $"write {k} to {server}") : null);
    }

    /// <summary>Writes made so far: each one raised one server's status sequence by one.</summary>
    public static long Done(ReplicaState state) =>
        state.Servers.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).Sum(kv => kv.Value.Status?.Seq ?? 0);

    /// <summary>Hash of the servers alone (hybrid stamps of audit entries differ between runs; statuses do not).</summary>
    public static string ServersHash(ReplicaState state) =>
        Convert.ToHexStringLower(SHA256.HashData(Serialization.Serialize(state.Servers)))[..16];

    /// <summary>True when every replica's audit entries are numbered 1..n without gaps and hash-chained.</summary>
    public static bool AuditChainsHold(ReplicaState state)
    {
        foreach (var chain in state.Audit.Values.GroupBy(a => a.Replica))
        {
            var prev = AuditEntry.GenesisHash;
            var index = 0L;
            foreach (var entry in chain.OrderBy(a => a.Index))
            {
                if (entry.Index != ++index || entry.PrevHash != prev) return false;
                prev = entry.Hash();
            }
        }
        return true;
    }

    /// <summary>"origin.Channel=seq,..." (or "-"), one token without spaces.</summary>
    public static string Format(VersionVector v) =>
        v.IsEmpty ? "-" : string.Join(',', v.Entries.Select(e => $"{e.Stream.Origin}.{e.Stream.Channel}={e.Seq}"));

    public static Dictionary<string, long> ParseVector(string text) =>
        text == "-" ? new Dictionary<string, long>(StringComparer.Ordinal)
            : text.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
