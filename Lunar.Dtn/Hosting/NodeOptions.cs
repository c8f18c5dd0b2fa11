namespace Lunar.Dtn.Hosting;

/// <summary>The "Node" configuration section (see the README's configuration table).</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>This replica's name, e.g. "earth", "moon", "tier1-alpha".</summary>
    public string Id { get; set; } = "";

    /// <summary>Where the LiteDB file, keys and the outbox live; created on first start.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>No link at all: USB bundle files only.</summary>
    public bool AirGapped { get; set; }

    /// <summary>
    /// Nodes reached only by USB bundle files, comma separated (e.g. "tier1-alpha" on the Moon, "moon" on a Tier 1 node).
    /// Like link peers, they hold back folding: this node keeps the deltas they lack, with their origins' signatures, until
    /// a file from them acknowledges them, so every stick carries signed intervals, not a snapshot.
    /// </summary>
    public string? FilePeers { get; set; }

    /// <summary>The ids in <see cref="FilePeers"/>.</summary>
    public IReadOnlyList<string> FilePeerIds() =>
        (FilePeers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The constellation file; unset (with <see cref="KeyFile"/> unset) means a development constellation in <see cref="DataDir"/>.</summary>
    public string? Constellation { get; set; }

    /// <summary>This node's private key file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>This node's TLS certificate (PEM); default: <c>ID.crt</c> beside <see cref="KeyFile"/>.</summary>
    public string? TlsCertificate { get; set; }

    /// <summary>This node's TLS private key (PEM, mode 0600); default: <c>ID.key.pem</c> beside <see cref="KeyFile"/>.</summary>
    public string? TlsKey { get; set; }

    /// <summary>
    /// The host names the API answers to, comma separated (default: localhost, 127.0.0.1, ::1 and the node id). A request
    /// for any other Host is refused (DNS rebinding).
    /// </summary>
    public string? HostNames { get; set; }

    /// <summary>
    /// This node's BPv7 endpoint id (e.g. ipn:1.7 Earth, ipn:2.7 Moon): the source of the BPv7 bundles it sends
    /// through a DTN relay and the destination it accepts. Required with a tcpclv4:// or mtcp:// peer or Link:Bpv7Listen.
    /// </summary>
    public string? Eid { get; set; }
}
