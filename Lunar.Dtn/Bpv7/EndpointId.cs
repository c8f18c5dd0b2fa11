using System.Globalization;

namespace Lunar.Dtn.Bpv7;

/// <summary>
/// A bundle endpoint id (RFC 9171 §4.2.5.1): <c>dtn:none</c>, <c>dtn://node/demux</c> (scheme code 1, the SSP kept as
/// text after "dtn:") or <c>ipn:node.service</c> (scheme code 2, two unsigned numbers).
/// </summary>
public sealed record EndpointId
{
    public const ulong DtnScheme = 1;
    public const ulong IpnScheme = 2;

    private EndpointId(ulong scheme, string? dtnSsp, ulong node, ulong service)
    {
        Scheme = scheme;
        DtnSsp = dtnSsp;
        IpnNode = node;
        IpnService = service;
    }

    public static readonly EndpointId None = new(DtnScheme, null, 0, 0);

    public ulong Scheme { get; }

    /// <summary>The dtn scheme-specific part ("//node/demux"); null for dtn:none and for ipn ids.</summary>
    public string? DtnSsp { get; }

    public ulong IpnNode { get; }

    public ulong IpnService { get; }

    public bool IsNone => Scheme == DtnScheme && DtnSsp is null;

    public static EndpointId Ipn(ulong node, ulong service) => new(IpnScheme, null, node, service);

    /// <summary>A dtn id from its scheme-specific part, which must be "//" and a node name (RFC 9171 §4.2.5.1.1).</summary>
    public static EndpointId Dtn(string ssp)
    {
        if (!IsValidDtnSsp(ssp)) throw new FormatException($"dtn scheme-specific part '{ssp}' is not //node-name[/demux]");
        return new EndpointId(DtnScheme, ssp, 0, 0);
    }

    internal static bool IsValidDtnSsp(string ssp) =>
        ssp.StartsWith("//", StringComparison.Ordinal) && ssp.Length > 2 && ssp[2] != '/' && ssp.All(c => c > ' ' && c < 0x7F);

    /// <summary>The node's own id, with which a node names itself: ipn:N.0, or dtn://node/.</summary>
    public EndpointId NodeId => Scheme == IpnScheme ? Ipn(IpnNode, 0) : IsNone ? this : Dtn("//" + DtnSsp![2..].Split('/')[0] + "/");

    /// <summary>Parses "dtn:none", "dtn://node/demux" or "ipn:node.service".</summary>
    public static EndpointId Parse(string text)
    {
        if (TryParse(text, out var eid, out var error)) return eid;
        throw new FormatException(error);
    }

    public static bool TryParse(string text, out EndpointId eid, out string error)
    {
        eid = None;
        error = "";
        if (text == "dtn:none") return true;
        if (text.StartsWith("dtn:", StringComparison.Ordinal))
        {
            var ssp = text[4..];
            if (!IsValidDtnSsp(ssp)) { error = $"'{text}' is not a dtn endpoint id (dtn://node-name/demux or dtn:none)"; return false; }
            eid = new EndpointId(DtnScheme, ssp, 0, 0);
            return true;
        }
        if (text.StartsWith("ipn:", StringComparison.Ordinal))
        {
            var parts = text[4..].Split('.');
            if (parts.Length == 2 && ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            {
                eid = Ipn(n, s);
                return true;
            }
            error = $"'{text}' is not an ipn endpoint id (ipn:node.service, two unsigned numbers)";
            return false;
        }
        error = $"'{text}' is not an endpoint id: the scheme must be dtn or ipn (e.g. ipn:2.7, dtn://moon/sync)";
        return false;
    }

    public override string ToString() => Scheme switch
    {
        IpnScheme => string.Create(CultureInfo.InvariantCulture, $"ipn:{IpnNode}.{IpnService}"),
        _ => DtnSsp is null ? "dtn:none" : "dtn:" + DtnSsp,
    };
}
