using System.Collections.Concurrent;
using System.Net;
using Lunar.Dtn.Links;
using Lunar.Dtn.Links.Bpv7Relay;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Transfer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Runs the node's links: the TCP convergence layer from the "Link" settings (mutual TLS 1.3 with the node's certificate), and one <see cref="PeerSync"/>
/// per peer link, whichever side dialled, with its <see cref="ArtifactPeerTransfer"/> (artifact content, as low-priority chunk
/// bundles on the same link). An air-gapped node runs none.
/// </summary>
public sealed class NodeLinks : IHostedService, IAsyncDisposable
{
    private readonly Replica _replica;
    private readonly RelayOptions _relay;
    private readonly NodeOptions _node;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeLinks> _log;
    private readonly ConcurrentDictionary<string, (IBundleLink Link, PeerSync Sync)> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ArtifactPeerTransfer> _transfers = new(StringComparer.Ordinal);
    private readonly Artifacts.ArtifactContentStore _content;
    private readonly ArtifactReceiver _receiver;
    private readonly TransferOptions _transfer;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
    private TcpRelay? _tcp;
    private Bpv7Node? _bpv7;

    public NodeLinks(Replica replica, NodeRuntime runtime, RelayOptions relay, NodeOptions node, TimeProvider time, ILogger<NodeLinks> log,
        Artifacts.ArtifactContentStore content, ArtifactReceiver receiver, TransferOptions? transfer = null)
    {
        _certificate = runtime.Certificate;
        _transfer = transfer ?? new TransferOptions();
        _replica = replica;
        _content = content;
        _receiver = receiver;
        _relay = relay;
        _node = node;
        _time = time;
        _log = log;
    }

    /// <summary>Where the TCP link listens (after start), e.g. to learn the port when configured with port 0.</summary>
    public IPEndPoint? ListeningOn => _tcp?.ListeningOn;

    public IReadOnlyCollection<(IBundleLink Link, PeerSync Sync)> Peers => _peers.Values.ToArray();

    /// <summary>The artifact transfer with each peer, by peer id.</summary>
    public IReadOnlyDictionary<string, ArtifactPeerTransfer> Transfers => _transfers;

    /// <summary>Artifacts arriving over the links (for the sync view and the dashboard).</summary>
    public ArtifactReceiver Receiver => _receiver;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_node.AirGapped) { _log.LogInformation("Air-gapped: no link; state moves by USB bundle files only"); return Task.CompletedTask; }
        var settings = new TcpRelaySettings
        {
            Listen = string.IsNullOrWhiteSpace(_relay.Listen) ? null : ParseListen(_relay.Listen),
            Peers = _relay.ParsePeers().Where(p => !Bpv7PeerAddress.IsBpv7(p.Endpoint)).Select(p => { var (h, port) = TcpRelaySettings.ParseEndpoint(p.Endpoint); return (p.Id, h, port); }).ToArray(),
            // The listener takes any node of the constellation in force (a Moon names no peers: Earth dials it), never a file peer.
            RefuseFrom = _node.FilePeerIds().ToHashSet(StringComparer.Ordinal),
            BandwidthMbps = _relay.BandwidthMbps,
            MaxReconnectDelay = _relay.ReconnectMaxSeconds is { } max ? TimeSpan.FromSeconds(max) : TcpRelaySettings.DefaultMaxReconnectDelay,
        };
        // Mutual TLS 1.3 with the node's certificate, each peer checked against the constellation version in force.
        _tcp = new TcpRelay(_node.Id, _certificate, () => _replica.Trust, settings, _time, _log);
        _tcp.LinkAdded += link =>
        {
            _peers.GetOrAdd(link.PeerId, _ => (link, NewSync(link)));
            _transfers.GetOrAdd(link.PeerId, _ => new ArtifactPeerTransfer(_replica, link, _content, _receiver, _transfer, _log));
        };
        _tcp.Start();
        StartBpv7(settings.MaxReconnectDelay);
        return Task.CompletedTask;
    }

    /// <summary>Peers reached through a DTN relay (tcpclv4:// and mtcp:// entries of Link:Peers) and Link:Bpv7Listen.</summary>
    private void StartBpv7(TimeSpan maxReconnectDelay)
    {
        var peers = _relay.ParsePeers().Where(p => Bpv7PeerAddress.IsBpv7(p.Endpoint))
            .Select(p => Bpv7PeerAddress.TryParse(p.Id, p.Endpoint, out var a, out _) ? a! : throw new FormatException($"Link:Peers entry '{p.Id}'"))
            .ToArray();
        var listen = _relay.ParseBpv7Listen();
        if (peers.Length == 0 && listen.Count == 0) return;
        var settings = new Bpv7NodeSettings
        {
            Self = Bpv7.EndpointId.Parse(_node.Eid!), Peers = peers, Listen = listen, MaxReconnectDelay = maxReconnectDelay,
            // TCPCLv4 offers TLS (CAN_TLS) with the node's certificate: our own nodes talk inside TLS, relays that offer none in clear.
            TcpclTls = new Links.Tcpcl.TcpclTls(System.Net.Security.SslStreamCertificateContext.Create(_certificate, additionalCertificates: null, offline: true), _node.Id, () => _replica.Trust),
        };
        _bpv7 = new Bpv7Node(settings, _time, _log);
        _bpv7.LinkAdded += link => _peers.GetOrAdd(link.PeerId, _ => (link, NewSync(link)));
        _bpv7.Start();
    }

    private PeerSync NewSync(IBundleLink link)
    {
        var sync = new PeerSync(_replica, link, log: _log);
        sync.Outcome += outcome =>
        {
            if (outcome.Status == ReceiveStatus.Rejected)
                _log.LogWarning("Rejected a bundle from {Peer}: {Reason}", link.PeerId, outcome.Rejection);
        };
        return sync;
    }

    private static IPEndPoint ParseListen(string listen)
    {
        var (host, port) = TcpRelaySettings.ParseEndpoint(listen);
        var address = host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(address, port);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, sync) in _peers.Values) sync.Dispose();
        _peers.Clear();
        foreach (var transfer in _transfers.Values) transfer.Dispose();
        _transfers.Clear();
        if (_tcp is not null) await _tcp.DisposeAsync().ConfigureAwait(false);
        _tcp = null;
        if (_bpv7 is not null) await _bpv7.DisposeAsync().ConfigureAwait(false);
        _bpv7 = null;
    }
}
