using System.Net;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Links.Bpv7Relay;

/// <summary>What a node needs to speak BPv7: its endpoint id, its peers behind relays, where it accepts relays' sessions.</summary>
public sealed record Bpv7NodeSettings
{
    public required EndpointId Self { get; init; }

    public IReadOnlyList<Bpv7PeerAddress> Peers { get; init; } = [];

    /// <summary>Where relays deliver to us: TCPCLv4 or MTCP listeners.</summary>
    public IReadOnlyList<(Bpv7Cla Cla, IPEndPoint Endpoint)> Listen { get; init; } = [];

    /// <summary>Lifetime of the bundles we send: as long as our own sync bundles live (30 days), since blackouts last weeks.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>TLS on TCPCLv4 sessions whose peer offers it too (RFC 9174 §4.4); null: TCPCLv4 in clear only.</summary>
    public Tcpcl.TcpclTls? TcpclTls { get; init; }
}
