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
                if (id == node.Id) errors.Add($"Link:Peers lists this node itself ('{id}')");
            }
        }
        catch (FormatException ex) { errors.Add(ex.Message); }
        if (relay.ReconnectMaxSeconds is not null and (<= 0 or > 3600 or double.NaN))
            errors.Add($"Link:ReconnectMaxSeconds must be more than 0 and at most 3600 (got {relay.ReconnectMaxSeconds}); leave it unset for 1 s");
        if (relay.BandwidthMbps is <= 0) errors.Add($"Link:BandwidthMbps must be positive (got {relay.BandwidthMbps}); leave it unset for unlimited");
        return errors;
    }

    private static bool LooksLikeEndpoint(string s)
    {
        var i = s.LastIndexOf(':');
        return i > 0 && int.TryParse(s[(i + 1)..], out var port) && port is >= 0 and <= 65535;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
