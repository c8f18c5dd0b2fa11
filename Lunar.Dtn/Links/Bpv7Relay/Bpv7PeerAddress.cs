using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Links.Bpv7Relay;

/// <summary>
/// A peer reached through a DTN relay, from a <c>Link:Peers</c> entry such as <c>moon=tcpclv4://127.0.0.1:4556/ipn:2.7</c>
/// or <c>moon=mtcp://127.0.0.1:4224/ipn:2.7</c>: the relay's convergence layer and address, then the peer's endpoint id.
/// </summary>
public sealed record Bpv7PeerAddress(string PeerId, Bpv7Cla Cla, string Host, int Port, EndpointId PeerEid)
{
    public static bool IsBpv7(string endpoint) =>
        endpoint.StartsWith("tcpclv4://", StringComparison.Ordinal) || endpoint.StartsWith("mtcp://", StringComparison.Ordinal);

    /// <summary>Parses one entry; the error names the entry and what is wrong with it.</summary>
    public static bool TryParse(string peerId, string endpoint, out Bpv7PeerAddress? address, out string error)
    {
        address = null;
        error = "";
        var scheme = endpoint.StartsWith("tcpclv4://", StringComparison.Ordinal) ? Bpv7Cla.Tcpclv4
            : endpoint.StartsWith("mtcp://", StringComparison.Ordinal) ? Bpv7Cla.Mtcp : (Bpv7Cla?)null;
        if (scheme is null)
        {
            error = $"Link:Peers endpoint '{endpoint}' of '{peerId}': the scheme must be tcpclv4:// or mtcp:// (or none, for the built-in TCP link)";
            return false;
        }
        var rest = endpoint[(endpoint.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = $"Link:Peers endpoint '{endpoint}' of '{peerId}' names no endpoint id: add the peer's, e.g. {endpoint.TrimEnd('/')}/ipn:2.7";
            return false;
        }
        var hostPort = rest[..slash];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port) || port is < 1 or > 65535)
        {
            error = $"Link:Peers endpoint '{endpoint}' of '{peerId}': '{hostPort}' is not host:port";
            return false;
        }
        if (!EndpointId.TryParse(rest[(slash + 1)..], out var eid, out var eidError) || eid.IsNone)
        {
            error = $"Link:Peers endpoint '{endpoint}' of '{peerId}': {(eid.IsNone && eidError.Length == 0 ? "dtn:none cannot receive" : eidError)}";
            return false;
        }
        address = new Bpv7PeerAddress(peerId, scheme.Value, hostPort[..colon], port, eid);
        return true;
    }
}
