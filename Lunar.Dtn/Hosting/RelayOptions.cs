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

    /// <summary>
    /// Where DTN relays deliver BPv7 bundles to this node, comma separated: tcpclv4://host:port (or plain host:port)
    /// and mtcp://host:port. Empty: none.
    /// </summary>
    public string? Bpv7Listen { get; set; }

    /// <summary>Parsed <see cref="Bpv7Listen"/>; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public IReadOnlyList<(Links.Bpv7Relay.Bpv7Cla Cla, System.Net.IPEndPoint Endpoint)> ParseBpv7Listen()
    {
        var result = new List<(Links.Bpv7Relay.Bpv7Cla, System.Net.IPEndPoint)>();
        foreach (var raw in (Bpv7Listen ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cla = raw.StartsWith("mtcp://", StringComparison.Ordinal) ? Links.Bpv7Relay.Bpv7Cla.Mtcp : Links.Bpv7Relay.Bpv7Cla.Tcpclv4;
            var hostPort = raw.Contains("://", StringComparison.Ordinal) ? raw[(raw.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') : raw;
            if (raw.Contains("://", StringComparison.Ordinal) && !raw.StartsWith("mtcp://", StringComparison.Ordinal) && !raw.StartsWith("tcpclv4://", StringComparison.Ordinal))
                throw new FormatException($"Link:Bpv7Listen entry '{raw}': the scheme must be tcpclv4:// or mtcp://");
            var colon = hostPort.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port) || port is < 0 or > 65535
                || !(hostPort[..colon] is "localhost" || System.Net.IPAddress.TryParse(hostPort[..colon], out _)))
                throw new FormatException($"Link:Bpv7Listen entry '{raw}' is not [tcpclv4://|mtcp://]address:port");
            var address = hostPort[..colon] is "localhost" ? System.Net.IPAddress.Loopback : System.Net.IPAddress.Parse(hostPort[..colon]);
            result.Add((cla, new System.Net.IPEndPoint(address, port)));
        }
        return result;
    }

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
