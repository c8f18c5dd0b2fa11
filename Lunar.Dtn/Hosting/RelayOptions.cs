namespace Lunar.Dtn.Hosting;

/// <summary>The "Link" configuration section: where this node listens for and dials its peers.</summary>
public sealed class RelayOptions
{
    public const string Section = "Link";

    /// <summary>TCP endpoint where this node accepts its peer's link, e.g. "127.0.0.1:7001"; empty: none.</summary>
    public string? Listen { get; set; }

    /// <summary>Peers to dial, "id=host:port" comma separated; empty: dial nobody.</summary>
    public string? Peers { get; set; }

    /// <summary>The share of the link this node may use; unset means unlimited.</summary>
    public double? BandwidthMbps { get; set; }

    /// <summary>
    /// Longest wait between two attempts to redial a peer, in seconds; unset: <see cref="Links.Tcp.TcpRelaySettings.DefaultMaxReconnectDelay"/>
    /// (1 s). After a blackout the link is back up at most this long after contact returns.
    /// </summary>
    public double? ReconnectMaxSeconds { get; set; }

    /// <summary>Parsed <see cref="Peers"/>; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public IReadOnlyList<(string Id, string Endpoint)> ParsePeers()
    {
        var result = new List<(string, string)>();
        foreach (var raw in (Peers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FormatException($"Link:Peers entry '{raw}' is not of the form id=host:port");
            result.Add((parts[0], parts[1]));
        }
        return result;
    }
}
