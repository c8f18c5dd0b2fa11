using System.Net;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>How the TCP convergence layer listens, dials and paces itself.</summary>
public sealed record TcpRelaySettings
{
    /// <summary>Where to accept peers; null: accept nobody.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>Peers to dial, by id.</summary>
    public IReadOnlyList<(string Id, string Host, int Port)> Peers { get; init; } = [];

    /// <summary>
    /// The only nodes the listener takes a session from; null: any node of the constellation in force (its CA, its listed
    /// certificate, not revoked) except this node and <see cref="RefuseFrom"/>. A dialled peer must always be the one dialled.
    /// </summary>
    public IReadOnlySet<string>? AcceptFrom { get; init; }

    /// <summary>Nodes never taken on the link even with a good certificate (air-gapped file peers).</summary>
    public IReadOnlySet<string> RefuseFrom { get; init; } = new HashSet<string>();

    /// <summary>This node's share of the link; null: unlimited.</summary>
    public double? BandwidthMbps { get; init; }

    /// <summary>Largest frame accepted from a peer (a bundle plus framing).</summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024 * 1024 + 4096;

    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay between reconnection attempts (exponential with jitter up to <see cref="MaxReconnectDelay"/>).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Largest delay between reconnection attempts. Whatever this is, the link comes back up to this long after
    /// contact returns: nothing announces the end of a blackout, the dialler only finds it by trying. An attempt
    /// costs one connection to the relay, so this is short (it was 30 s, which after a long blackout added up
    /// to 30 s to every catch-up).
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; init; } = DefaultMaxReconnectDelay;

    public static readonly TimeSpan DefaultMaxReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>Parses "host:port" (IPv4, IPv6 in brackets, or a name resolved later).</summary>
    public static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var i = endpoint.LastIndexOf(':');
        if (i <= 0 || !int.TryParse(endpoint[(i + 1)..], out var port) || port is < 0 or > 65535)
            throw new FormatException($"'{endpoint}' is not host:port");
        return (endpoint[..i].Trim('[', ']'), port);
    }
}
