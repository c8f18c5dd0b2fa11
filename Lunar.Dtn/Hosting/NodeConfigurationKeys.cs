namespace Lunar.Dtn.Hosting;

/// <summary>The configuration keys of a node, as the help text lists them (the README's configuration table).</summary>
public static class NodeConfigurationKeys
{
    public static readonly IReadOnlyList<(string Key, string Meaning)> All =
    [
        ("Node:Id", "replica name: lower-case letters, digits, '-' (required), e.g. moon"),
        ("Node:DataDir", "folder of the LiteDB file, keys and logs (required; created on first start)"),
        ("Node:Constellation", "constellation.json; with Node:KeyFile, or neither for a development constellation in DataDir"),
        ("Node:KeyFile", "this node's private key file (id:hex-seed)"),
        ("Node:AirGapped", "true: no link at all (Link:* must be empty); state moves by USB bundle files (bundle export/import)"),
        ("Node:FilePeers", "nodes reached by USB bundle files, comma separated; deltas are kept for them until a file from them acknowledges"),
        ("Node:TlsCertificate", "this node's TLS certificate, PEM (default: ID.crt beside Node:KeyFile)"),
        ("Node:TlsKey", "this node's TLS private key, PEM, mode 0600 (default: ID.key.pem beside Node:KeyFile)"),
        ("Node:HostNames", "host names the API answers to, comma separated (default localhost,127.0.0.1,::1,ID); others are refused"),
        ("Urls", "HTTPS API (client certificates; plain http:// is refused), default https://127.0.0.1:5080 (Earth) / :5081 (Moon)"),
        ("Link:Listen", "TCP endpoint where this node accepts its peers, e.g. 127.0.0.1:7002"),
        ("Link:Peers", "peers to dial, id=host:port, comma separated; empty: dial nobody"),
        ("Link:BandwidthMbps", "this node's share of the link; unset: unlimited"),
        ("Node:Eid", "BPv7 endpoint id, e.g. ipn:2.7 (required with a tcpclv4:// or mtcp:// peer, e.g. moon=tcpclv4://127.0.0.1:4556/ipn:2.7)"),
        ("Link:Bpv7Listen", "where DTN relays deliver BPv7 bundles: tcpclv4://host:port and/or mtcp://host:port, comma separated"),
        ("Transfer:WindowChunks", "artifact chunks (64 KiB) sent to a peer and not yet acknowledged (default 64, 1-4096)"),
        ("Transfer:AckDelayMs", "the receiver acknowledges chunks this long after the first unacknowledged one (default 200, 1-60000)"),
        ("Transfer:StallTimeoutSeconds", "chunks in flight and no acknowledgement this long: ask for the peer's status and resend what it lacks (default 60, 1-86400)"),
        ("Approvals:Tier1:Required", "signers a quorum needs (default 2)"),
        ("Approvals:Tier1:Roles", "roles that must be among them, comma separated (default flight-director,base-lead)"),
        ("Swarm:PeerPort", "Moon/Tier 1: TCP port of the mirror's BitTorrent seeder (default 0: any free port)"),
        ("Swarm:PeerHost", "address the seeder listens on and the tracker lists (default 127.0.0.1)"),
        ("Swarm:MirrorUploadMbps", "cap on the mirror seeder's upload, Mbit/s (default 0: none)"),
        ("Swarm:AnnounceIntervalSeconds", "announce interval the tracker asks for (default 5)"),
        ("Swarm:SuperSeed", "BEP 16 super-seeding by the mirror (default true)"),
        ("Swarm:AnnounceUrl", "announce URL written into torrents (default: this node's /announce as requested)"),
        ("Dashboard:MaxFeedClientsPerPrincipal", "live feed clients (GET /api/v1/events) one principal may hold open (default 8); more: 429"),
        ("Dashboard:MaxFeedClients", "live feed clients of all principals together (default 256); more: 429"),
        ("Agents:MaxLongPollsPerPrincipal", "assignment long polls (waitSeconds > 0) one principal may hold open (default 2); more: 429"),
        ("Agents:MaxLongPolls", "assignment long polls of all principals together (default 10000); more: 429"),
        ("Artifacts:FreeSpaceReserveMB", "free space kept beside artifacts (default 256): an artifact larger than the free space less this is refused before upload"),
    ];

    /// <summary>One key a line, aligned, followed by where configuration may come from.</summary>
    public static string Describe()
    {
        var width = All.Max(k => k.Key.Length) + 2;
        var lines = All.Select(k => $"  --{k.Key.PadRight(width)}{k.Meaning}");
        return "Configuration keys (--Key=value, environment LUNARDTN_Node__Id=..., or appsettings.json next to the executable):"
            + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }
}
