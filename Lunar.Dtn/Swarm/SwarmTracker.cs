using System.Globalization;
using System.Net;
using System.Text;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// The node's private HTTP tracker (BEP 3 announce, BEP 23 compact answers). It tracks only the info-hashes it is told
/// the node serves (anything else gets a failure reason), asks for a short announce interval, forgets peers that stop
/// announcing, lists peers of the requester's own site first (our agents add <c>site=</c> to the announce), and always
/// includes the node's own seeder. Transport-free: the endpoint hands it the raw query, the caller's address and the
/// authenticated agent it announces for (its certificate, or its tracker passkey); without one there is no entry.
/// </summary>
/// <remarks>
/// Entries are keyed by the announcing agent's server id, not by the peer id it sends: an agent holds at most one entry
/// per torrent (a new peer id replaces its old one), so one credential cannot fill the tracker with peers, and nobody
/// without one can add any.
/// </remarks>
public sealed class SwarmTracker(TimeProvider time, Func<byte[], bool> isServed, Func<byte[], IPEndPoint?> ownSeeder, int intervalSeconds = 5)
{
    private const int MaxNumWant = 80;
    private const int MaxPeersPerTorrent = 20_000;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, TrackerPeer>> _swarms = new(StringComparer.Ordinal);

    public int IntervalSeconds => intervalSeconds;

    /// <summary>Raised after each accepted announce of a peer that still downloads (the mirror dials such peers: some clients never dial loopback peers).</summary>
    public event Action<byte[], byte[], IPEndPoint>? LeecherAnnounced;

    /// <summary>
    /// The bencoded answer to one announce whose query string (with its leading '?', raw, still percent-encoded) is
    /// <paramref name="rawQuery"/>, by the agent of server <paramref name="serverId"/> (null: nobody authenticated, a failure
    /// reason and no entry).
    /// </summary>
    public byte[] Announce(string rawQuery, IPAddress remote, string? serverId)
    {
        if (string.IsNullOrEmpty(serverId))
            return Failure("announce with your agent's certificate, or add passkey=<the agent's tracker passkey> to the announce URL");
        var q = ParseQuery(rawQuery);
        if (!q.TryGetValue("info_hash", out var infoHash) || infoHash.Length != 20) return Failure("info_hash must be 20 bytes");
        if (!q.TryGetValue("peer_id", out var peerId) || peerId.Length != 20) return Failure("peer_id must be 20 bytes");
        if (!int.TryParse(Text(q, "port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return Failure("port must be 1-65535");
        if (!isServed(infoHash)) return Failure($"info-hash {Convert.ToHexStringLower(infoHash)} is not an artifact this node holds");
        long.TryParse(Text(q, "left"), NumberStyles.None, CultureInfo.InvariantCulture, out var left);
        var numWant = int.TryParse(Text(q, "numwant"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 0, MaxNumWant) : 50;
        var site = Text(q, "site") ?? "";
        var key = Convert.ToHexStringLower(infoHash);
        var me = serverId;
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        var endpoint = new IPEndPoint(address, port);
        var now = time.GetTimestamp();

        List<TrackerPeer> others;
        int seeders, leechers;
        lock (_gate)
        {
            if (!_swarms.TryGetValue(key, out var swarm)) _swarms[key] = swarm = new Dictionary<string, TrackerPeer>(StringComparer.Ordinal);
            foreach (var stale in swarm.Where(kv => time.GetElapsedTime(kv.Value.LastSeen, now) > TimeSpan.FromSeconds(intervalSeconds * 3)).Select(kv => kv.Key).ToArray())
                swarm.Remove(stale);
            if (Text(q, "event") == "stopped") swarm.Remove(me);
            else if (swarm.ContainsKey(me) || swarm.Count < MaxPeersPerTorrent) swarm[me] = new TrackerPeer(endpoint, site, left, now, serverId);
            others = swarm.Where(kv => kv.Key != me).Select(kv => kv.Value).ToList();
            seeders = swarm.Values.Count(p => p.Left == 0);
            leechers = swarm.Count - seeders;
        }
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(others));
        var ordered = others.Where(p => site.Length > 0 && p.Site == site).Concat(others.Where(p => site.Length == 0 || p.Site != site))
            .Select(p => p.Endpoint).ToList();
        if (ownSeeder(infoHash) is { } seeder && !seeder.Equals(endpoint))
        {
            // The node's own seeder is always listed (last, so the fleet's own peers are dialled first).
            ordered.Remove(seeder);
            ordered = [.. ordered.Take(Math.Max(0, numWant - 1)), seeder];
            seeders++;
        }
        else ordered = [.. ordered.Take(numWant)];
        if (left > 0 && Text(q, "event") != "stopped") LeecherAnnounced?.Invoke(infoHash, peerId, endpoint);

        var compact = new MemoryStream();
        foreach (var p in ordered.Where(p => p.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            compact.Write(p.Address.GetAddressBytes());
            compact.WriteByte((byte)(p.Port >> 8));
            compact.WriteByte((byte)p.Port);
        }
        return Bencode.Encode(new BDictionary
        {
            ["interval"] = (long)intervalSeconds,
            ["min interval"] = 1L,
            ["complete"] = (long)seeders,
            ["incomplete"] = (long)leechers,
            ["peers"] = compact.ToArray(),
        });
    }

    /// <summary>The entries the tracker holds for a torrent now (stale ones included until the next announce sweeps them).</summary>
    public IReadOnlyList<TrackerPeer> Entries(byte[] infoHash)
    {
        lock (_gate)
            return _swarms.TryGetValue(Convert.ToHexStringLower(infoHash), out var swarm) ? [.. swarm.Values] : [];
    }

    public static byte[] Failure(string reason) => Bencode.Encode(new BDictionary { ["failure reason"] = reason });

    private static string? Text(Dictionary<string, byte[]> q, string key) => q.TryGetValue(key, out var v) ? Encoding.UTF8.GetString(v) : null;

    /// <summary>Splits a raw query into byte values (info_hash and peer_id are binary, so no text decoding may touch them).</summary>
    public static Dictionary<string, byte[]> ParseQuery(string rawQuery)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = Encoding.UTF8.GetString(PercentDecode(eq < 0 ? part : part[..eq]));
            result[name] = eq < 0 ? [] : PercentDecode(part[(eq + 1)..]);
        }
        return result;
    }

    private static byte[] PercentDecode(string s)
    {
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length &&
                byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else if (s[i] == '+') bytes.Add((byte)' ');
            else bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return [.. bytes];
    }
}
