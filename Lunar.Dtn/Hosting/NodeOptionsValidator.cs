using System.Text.RegularExpressions;

namespace Lunar.Dtn.Hosting;

/// <summary>Checks the node's configuration and reports every problem at once, each naming its key.</summary>
public static partial class NodeOptionsValidator
{
    public static IReadOnlyList<string> Validate(NodeOptions node, RelayOptions relay)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(node.Id)) errors.Add("Node:Id is required (e.g. --Node:Id=moon)");
        else if (!IdPattern().IsMatch(node.Id)) errors.Add($"Node:Id '{node.Id}' may only hold lower-case letters, digits and '-'");
        if (string.IsNullOrWhiteSpace(node.DataDir)) errors.Add("Node:DataDir is required (e.g. --Node:DataDir=./data/moon)");
        var hasConstellation = !string.IsNullOrWhiteSpace(node.Constellation);
        var hasKey = !string.IsNullOrWhiteSpace(node.KeyFile);
        if (hasConstellation != hasKey) errors.Add("Node:Constellation and Node:KeyFile go together: give both, or neither for a development constellation");
        if (hasConstellation && !File.Exists(node.Constellation)) errors.Add($"Node:Constellation file '{node.Constellation}' does not exist");
        if (hasKey && !File.Exists(node.KeyFile)) errors.Add($"Node:KeyFile '{node.KeyFile}' does not exist");
        if (node.AirGapped && (!string.IsNullOrWhiteSpace(relay.Listen) || !string.IsNullOrWhiteSpace(relay.Peers)))
            errors.Add("Node:AirGapped=true allows no link: leave Link:Listen and Link:Peers empty");
        foreach (var peer in node.FilePeerIds())
        {
            if (!IdPattern().IsMatch(peer)) errors.Add($"Node:FilePeers entry '{peer}' is not a node id (lower-case letters, digits and '-')");
            else if (peer == node.Id) errors.Add($"Node:FilePeers lists this node itself ('{peer}')");
        }
        if (!string.IsNullOrWhiteSpace(relay.Listen) && !LooksLikeEndpoint(relay.Listen))
            errors.Add($"Link:Listen '{relay.Listen}' is not host:port");
        try
        {
            foreach (var (id, endpoint) in relay.ParsePeers())
            {
                if (!LooksLikeEndpoint(endpoint) && !endpoint.Contains("://", StringComparison.Ordinal))
                    errors.Add($"Link:Peers endpoint '{endpoint}' of '{id}' is not host:port");
                if (endpoint.Contains("://", StringComparison.Ordinal) && !Links.Bpv7Relay.Bpv7PeerAddress.TryParse(id, endpoint, out _, out var bpv7Error))
                    errors.Add(bpv7Error);
                if (id == node.Id) errors.Add($"Link:Peers lists this node itself ('{id}')");
            }
        }
        catch (FormatException ex) { errors.Add(ex.Message); }
        errors.AddRange(Bpv7Problems(node, relay));
        if (relay.ReconnectMaxSeconds is not null and (<= 0 or > 3600 or double.NaN))
            errors.Add($"Link:ReconnectMaxSeconds must be more than 0 and at most 3600 (got {relay.ReconnectMaxSeconds}); leave it unset for 1 s");
        if (relay.BandwidthMbps is <= 0) errors.Add($"Link:BandwidthMbps must be positive (got {relay.BandwidthMbps}); leave it unset for unlimited");
        return errors;
    }

    /// <summary>Node:Eid and Link:Bpv7Listen, and that a node with a BPv7 peer or listener has an endpoint id.</summary>
    private static IEnumerable<string> Bpv7Problems(NodeOptions node, RelayOptions relay)
    {
        var usesBpv7 = !string.IsNullOrWhiteSpace(relay.Bpv7Listen);
        try { usesBpv7 |= relay.ParsePeers().Any(p => p.Endpoint.Contains("://", StringComparison.Ordinal)); }
        catch (FormatException) { } // reported with Link:Peers
        if (!string.IsNullOrWhiteSpace(node.Eid) && (!Bpv7.EndpointId.TryParse(node.Eid, out var eid, out var error) || eid.IsNone))
            yield return $"Node:Eid {(error.Length > 0 ? error : "dtn:none cannot be a node's endpoint id")}";
        else if (usesBpv7 && string.IsNullOrWhiteSpace(node.Eid))
            yield return "Node:Eid is required with a tcpclv4:// or mtcp:// peer or Link:Bpv7Listen (e.g. --Node:Eid=ipn:2.7)";
        if (node.AirGapped && !string.IsNullOrWhiteSpace(relay.Bpv7Listen))
            yield return "Node:AirGapped=true allows no link: leave Link:Bpv7Listen empty";
        string? listenError = null;
        try { relay.ParseBpv7Listen(); }
        catch (FormatException ex) { listenError = ex.Message; }
        if (listenError is not null) yield return listenError;
    }

    private static bool LooksLikeEndpoint(string s)
    {
        var i = s.LastIndexOf(':');
        return i > 0 && int.TryParse(s[(i + 1)..], out var port) && port is >= 0 and <= 65535;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
