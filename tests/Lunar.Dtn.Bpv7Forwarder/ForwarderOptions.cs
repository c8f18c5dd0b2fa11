using System.Net;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Bpv7Forwarder;

/// <summary>
/// <c>--listen ADDRESS:PORT --eid ipn:N.0 [--route ipn:N=HOST:PORT ...] [--corrupt-payload]</c>. A route sends every bundle
/// whose destination is on node N (ipn) or named node (dtn://name) to the TCPCLv4 listener at HOST:PORT.
/// </summary>
public sealed record ForwarderOptions(IPEndPoint Listen, EndpointId Eid, IReadOnlyDictionary<string, (string Host, int Port)> Routes, bool CorruptPayload)
{
    public static ForwarderOptions Parse(string[] args)
    {
        IPEndPoint? listen = null;
        var eid = EndpointId.Ipn(9, 0);
        var routes = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        var corrupt = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--listen": listen = IPEndPoint.Parse(Next()); break;
                case "--eid": eid = EndpointId.Parse(Next()); break;
                case "--route": var (k, v) = ParseRoute(Next()); routes[k] = v; break;
                case "--corrupt-payload": corrupt = true; break;
                default: throw new FormatException($"unknown argument {args[i]}");
            }
        }
        return new ForwarderOptions(listen ?? throw new FormatException("--listen ADDRESS:PORT is required"), eid, routes, corrupt);
    }

    /// <summary>"ipn:2=127.0.0.1:4557" → ("ipn:2", ("127.0.0.1", 4557)).</summary>
    public static (string Key, (string Host, int Port) Target) ParseRoute(string text)
    {
        var parts = text.Split('=', 2);
        var ep = parts.Length == 2 ? parts[1] : throw new FormatException($"route '{text}' is not NODE=HOST:PORT");
        var colon = ep.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(ep[(colon + 1)..], out var port)) throw new FormatException($"route '{text}': '{ep}' is not HOST:PORT");
        return (parts[0], (ep[..colon], port));
    }

    /// <summary>The route key of a destination: "ipn:N" or "dtn://name".</summary>
    public static string KeyOf(EndpointId destination) =>
        destination.Scheme == EndpointId.IpnScheme ? $"ipn:{destination.IpnNode}" : "dtn:" + destination.NodeId.DtnSsp!.TrimEnd('/');
}
