using System.Collections.Concurrent;
using System.Net;
using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Links.Mtcp;
using Lunar.Dtn.Links.Tcpcl;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Bpv7Relay;

/// <summary>
/// The BPv7 side of a node: one <see cref="Bpv7PeerLink"/> per peer reached through a DTN relay (sending over TCPCLv4
/// or MTCP to the relay), and listeners where relays deliver to us. Every bundle that arrives is checked strictly
/// (RFC 9171), processed (expiry, hop limit, unknown blocks by their flags), reassembled if fragmented, and handed to
/// the link of the peer whose endpoint id is its source — only if it is addressed to this node's endpoint id. This
/// node is an endpoint, not a router: anything else is dropped and logged.
/// </summary>
public sealed class Bpv7Node : IAsyncDisposable
{
    private readonly Bpv7NodeSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Bpv7PeerLink> _links = new(StringComparer.Ordinal);
    private readonly List<IConvergenceSender> _senders = [];
    private readonly List<IAsyncDisposable> _listeners = [];
    private readonly Bpv7Reassembly _reassembly = new();
    private readonly Lock _reassemblyGate = new();

    public Bpv7Node(Bpv7NodeSettings settings, TimeProvider time, ILogger log)
    {
        _settings = settings;
        _time = time;
        _log = log;
    }

    public event Action<Bpv7PeerLink>? LinkAdded;

    public IReadOnlyCollection<Bpv7PeerLink> Links => _links.Values.ToArray();

    /// <summary>Where the listeners are bound (useful with port 0).</summary>
    public IReadOnlyList<(Bpv7Cla Cla, IPEndPoint Endpoint)> ListeningOn { get; private set; } = [];

    public long Accepted => Interlocked.Read(ref _accepted);
    private long _accepted;

    public long Rejected => Interlocked.Read(ref _rejected);
    private long _rejected;

    public string? LastRejection { get; private set; }

    private TcpclSettings Tcpcl => new() { NodeId = _settings.Self.NodeId.ToString(), TransferMru = (ulong)Bpv7Codec.MaxBundleBytes, Tls = _settings.TcpclTls };

    public void Start()
    {
        var bound = new List<(Bpv7Cla, IPEndPoint)>();
        foreach (var (cla, endpoint) in _settings.Listen)
        {
            if (cla == Bpv7Cla.Tcpclv4)
            {
                var listener = new TcpclListener(endpoint, Tcpcl, _time, _log);
                listener.BundleReceived += (s, b) => OnBundle(b, $"TCPCLv4 session with {s.Peer.NodeId}");
                listener.Start();
                _listeners.Add(listener);
                bound.Add((cla, listener.LocalEndpoint));
                _log.LogInformation("BPv7 listening on tcpclv4://{Endpoint} as {Eid}", listener.LocalEndpoint, _settings.Self);
            }
            else
            {
                var listener = new MtcpListener(endpoint, _log);
                listener.BundleReceived += b => OnBundle(b, "MTCP");
                listener.Start();
                _listeners.Add(listener);
                bound.Add((cla, listener.LocalEndpoint));
                _log.LogInformation("BPv7 listening on mtcp://{Endpoint} as {Eid}", listener.LocalEndpoint, _settings.Self);
            }
        }
        ListeningOn = bound;
        foreach (var peer in _settings.Peers)
        {
            IConvergenceSender sender = peer.Cla == Bpv7Cla.Tcpclv4
                ? new TcpclSender(peer.Host, peer.Port, Tcpcl, _time, _log) { MaxReconnectDelay = _settings.MaxReconnectDelay }
                : new MtcpSender(peer.Host, peer.Port, _time, _log) { MaxReconnectDelay = _settings.MaxReconnectDelay };
            if (sender is TcpclSender tcpcl) tcpcl.BundleReceived += (s, b) => OnBundle(b, $"TCPCLv4 session with {s.Peer.NodeId}");
            var link = new Bpv7PeerLink(peer, _settings.Self, sender, _settings.Lifetime, _time);
            _links[peer.PeerId] = link;
            _senders.Add(sender);
            LinkAdded?.Invoke(link);
            _log.LogInformation("Peer {Peer} ({Eid}) reached through the DTN relay at {Cla}://{Host}:{Port}", peer.PeerId, peer.PeerEid, peer.Cla.ToString().ToLowerInvariant(), peer.Host, peer.Port);
            sender.Start();
        }
    }

    private void OnBundle(byte[] raw, string via)
    {
        var decoded = Bpv7Codec.Decode(raw);
        if (!decoded.IsValid) { Reject(via, decoded.Rejection); return; }
        var processed = Bpv7Processing.OnReceive(decoded.Bundle, _time.GetUtcNow());
        if (!processed.IsValid) { Reject(via, processed.Rejection); return; }
        var bundle = processed.Bundle;
        if ((bundle.Primary.Flags & BundleFlags.IsAdministrativeRecord) != 0)
        {
            _log.LogInformation("BPv7 administrative record from {Source} ignored (this node requests no status reports)", bundle.Primary.Source);
            return;
        }
        if (bundle.Primary.Destination != _settings.Self)
        {
            Reject(via, new Bpv7Rejection(Bpv7RejectionCode.MalformedBlock, $"addressed to {bundle.Primary.Destination}, not to this node ({_settings.Self}); this node does not forward"));
            return;
        }
        if (bundle.Primary.IsFragment)
        {
            try { lock (_reassemblyGate) bundle = _reassembly.Add(bundle); }
            catch (ArgumentException ex) { Reject(via, new Bpv7Rejection(Bpv7RejectionCode.BadFragment, ex.Message)); return; }
            if (bundle is null) return;
        }
        var link = _links.Values.FirstOrDefault(l => l.Address.PeerEid == bundle.Primary.Source);
        if (link is null)
        {
            Reject(via, new Bpv7Rejection(Bpv7RejectionCode.BadEndpoint, $"source {bundle.Primary.Source} is none of this node's peers"));
            return;
        }
        Interlocked.Increment(ref _accepted);
        link.Deliver(bundle.Payload);
    }

    private void Reject(string via, Bpv7Rejection rejection)
    {
        LastRejection = rejection.ToString(); // before the count, so whoever sees the count sees the reason
        Interlocked.Increment(ref _rejected);
        _log.LogWarning("Dropped a BPv7 bundle received over {Via}: {Reason}", via, rejection);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _senders) await s.DisposeAsync().ConfigureAwait(false);
        foreach (var l in _listeners) await l.DisposeAsync().ConfigureAwait(false);
    }
}
