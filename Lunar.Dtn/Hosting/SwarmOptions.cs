using System.Net;
using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Hosting;

/// <summary>The "Swarm" section of a Moon or Tier 1 node: its mirror's seeder and tracker.</summary>
public sealed record SwarmOptions
{
    public const string Section = "Swarm";

    /// <summary>TCP port of the mirror's BitTorrent seeder; 0: any free port (logged, and shown by GET /api/v1/swarm).</summary>
    public int PeerPort { get; init; }

    /// <summary>The address the seeder listens on and the tracker lists for it.</summary>
    public string PeerHost { get; init; } = "127.0.0.1";

    /// <summary>Cap on what the mirror uploads to peers, in Mbit/s; 0: no cap.</summary>
    public double MirrorUploadMbps { get; init; }

    /// <summary>Announce interval the tracker asks for (short: the fleet finds new peers quickly).</summary>
    public int AnnounceIntervalSeconds { get; init; } = 5;

    /// <summary>BEP 16 super-seeding by the mirror, so it sends each piece about once and the fleet shares the rest.</summary>
    public bool SuperSeed { get; init; } = true;

    /// <summary>Announce URL written into torrents; empty: this node's own /announce, as the request reached it.</summary>
    public string AnnounceUrl { get; init; } = "";

    public static SwarmOptions From(IConfiguration config, out IReadOnlyList<string> errors)
    {
        var s = config.GetSection(Section);
        var problems = new List<string>();
        var defaults = new SwarmOptions();
        var o = new SwarmOptions
        {
            PeerPort = SettingReader.Int(s, "PeerPort", defaults.PeerPort, 0, 65535, problems),
            PeerHost = s["PeerHost"] is { Length: > 0 } h ? h : defaults.PeerHost,
            MirrorUploadMbps = SettingReader.NonNegative(s, "MirrorUploadMbps", 0, problems),
            AnnounceIntervalSeconds = SettingReader.Int(s, "AnnounceIntervalSeconds", defaults.AnnounceIntervalSeconds, 1, 3600, problems),
            SuperSeed = !bool.TryParse(s["SuperSeed"], out var ss) || ss,
            AnnounceUrl = s["AnnounceUrl"] ?? "",
        };
        if (!IPAddress.TryParse(o.PeerHost, out _)) problems.Add($"Swarm:PeerHost '{o.PeerHost}' is not an IP address");
        if (o.AnnounceUrl.Length > 0 && !Uri.TryCreate(o.AnnounceUrl, UriKind.Absolute, out _)) problems.Add($"Swarm:AnnounceUrl '{o.AnnounceUrl}' is not an absolute URL");
        errors = problems;
        return o;
    }
}
