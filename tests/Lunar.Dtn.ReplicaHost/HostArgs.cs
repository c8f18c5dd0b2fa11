using System.Globalization;

namespace Lunar.Dtn.ReplicaHost;

/// <summary>Command line of the replica host: <c>--id moon --peer earth --data D --drop DIR [options]</c>.</summary>
internal sealed record HostArgs
{
    public required string Id { get; init; }
    public required string Peer { get; init; }
    public required string DataDir { get; init; }
    public required string DropDir { get; init; }
    /// <summary>Status writes this node makes in total (resumed after a restart from what is durable).</summary>
    public long WriteStatus { get; init; }
    public int Servers { get; init; } = 100;
    public bool Audit { get; init; }
    public int BundleBytes { get; init; } = 1024 * 1024;
    public int IntervalDeltas { get; init; } = 200_000;
    public int PollMs { get; init; } = 10;
    public int RetransmitMs { get; init; } = 2000;
    public int MaxRetransmitMs { get; init; } = 4000;

    public static HostArgs Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{a}'");
            if (a == "--audit") { flags.Add(a); continue; }
            if (i + 1 >= args.Count) throw new ArgumentException($"{a} needs a value");
            values[a] = args[++i];
        }
        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new HostArgs
        {
            Id = Need("--id"),
            Peer = Need("--peer"),
            DataDir = Need("--data"),
            DropDir = Need("--drop"),
            WriteStatus = values.TryGetValue("--write-status", out var n) ? long.Parse(n, CultureInfo.InvariantCulture) : 0,
            Servers = Int("--servers", 100),
            Audit = flags.Contains("--audit"),
            BundleBytes = Int("--bundle-bytes", 1024 * 1024),
            IntervalDeltas = Int("--interval-deltas", 200_000),
            PollMs = Int("--poll-ms", 10),
            RetransmitMs = Int("--retransmit-ms", 2000),
            MaxRetransmitMs = Int("--max-retransmit-ms", 4000),
        };
    }
}
