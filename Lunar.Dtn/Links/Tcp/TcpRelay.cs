using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// The TCP convergence layer of one node: accepts peers on <see cref="TcpRelaySettings.Listen"/>, dials
/// the configured peers and redials them with capped exponential backoff (Polly) whenever the link drops.
/// Every connection is a mutual TLS 1.3 session (<see cref="LinkTls"/>) between node certificates of the constellation in
/// force before a byte of sync traffic flows; a connection that sends plaintext, a certificate of another CA, a revoked or
/// unknown node, garbage or an oversized frame is cut and logged, and everyone else is served as before.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    /// <summary>How often a live session's peer certificate is checked again even when the constellation did not change (expiry).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(10);

    private readonly string _self;
    private readonly SslStreamCertificateContext _certificate;
    private readonly Func<TrustStore> _trust;
    private readonly TcpRelaySettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly BandwidthBudget? _budget;
    private readonly ConcurrentDictionary<string, TcpPeerLink> _links = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private TcpListener? _listener;

    /// <param name="selfId">This node's id.</param>
    /// <param name="certificate">This node's TLS certificate with its private key (it serves and dials with it).</param>
    /// <param name="trust">The constellation version in force, asked at every handshake and whenever a live session is re-checked.</param>
    public TcpRelay(string selfId, X509Certificate2 certificate, Func<TrustStore> trust, TcpRelaySettings settings, TimeProvider time, ILogger log)
    {
        if (!certificate.HasPrivateKey) throw new ArgumentException("the link certificate holds no private key", nameof(certificate));
        _self = selfId;
        _certificate = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _trust = trust;
        _settings = settings;
        _time = time;
        _log = log;
        _budget = settings.BandwidthMbps is { } mbps ? new BandwidthBudget(mbps, time) : null;
    }

    /// <summary>Raised once per peer, the first time a link to it exists (dialled or accepted).</summary>
    public event Action<TcpPeerLink>? LinkAdded;

    public IReadOnlyCollection<TcpPeerLink> Links => _links.Values.ToArray();

    /// <summary>The bound listening endpoint (useful with port 0).</summary>
    public IPEndPoint? ListeningOn => _listener?.LocalEndpoint as IPEndPoint;

    /// <summary>Connections refused so far (plaintext, foreign, unknown or revoked certificates, garbage).</summary>
    public long Refused => Interlocked.Read(ref _refused);
    private long _refused;

    public void Start()
    {
        if (_settings.Listen is not null)
        {
            _listener = new TcpListener(_settings.Listen);
            _listener.Start();
            _log.LogInformation("Link listening on {Endpoint}", _listener.LocalEndpoint);
            _loops.Add(Task.Run(AcceptLoopAsync));
        }
        foreach (var peer in _settings.Peers)
        {
            GetOrAdd(peer.Id);
            _loops.Add(Task.Run(() => DialLoopAsync(peer.Id, peer.Host, peer.Port)));
        }
    }

    public TcpPeerLink GetOrAdd(string peerId)
    {
        var added = false;
        var link = _links.GetOrAdd(peerId, id => { added = true; return new TcpPeerLink(id); });
        if (added) LinkAdded?.Invoke(link);
        return link;
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener!.AcceptTcpClientAsync(ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException ex) { _log.LogWarning("Accept failed: {Error}", ex.Message); continue; }
            _ = Task.Run(() => AcceptOneAsync(client, ct), ct);
        }
    }

    private async Task AcceptOneAsync(TcpClient client, CancellationToken ct)
    {
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            var (stream, peer) = await HandshakeAsync(client, expectedPeer: null, ct).ConfigureAwait(false);
            Attach(peer, stream, client);
        }
        catch (Exception ex) when (ex is LinkProtocolException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _refused);
            _log.LogWarning("Refused link connection from {Remote}: {Reason}", remote, Describe(ex));
            client.Dispose();
        }
    }

    private async Task DialLoopAsync(string peerId, string host, int port)
    {
        var ct = _stop.Token;
        var lastReport = DateTimeOffset.MinValue;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SocketException>().Handle<IOException>().Handle<LinkProtocolException>()
                    .Handle<OperationCanceledException>(_ => !ct.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _settings.ReconnectDelay < _settings.MaxReconnectDelay ? _settings.ReconnectDelay : _settings.MaxReconnectDelay,
                MaxDelay = _settings.MaxReconnectDelay,
                OnRetry = args =>
                {
                    // The first attempts, then at most one line every ten minutes of a long blackout.
                    var now = _time.GetUtcNow();
                    if (args.AttemptNumber is 0 or 5 or 20 || (args.AttemptNumber > 20 && now - lastReport >= TimeSpan.FromMinutes(10)))
                    {
                        if (args.AttemptNumber >= 20) lastReport = now;
                        _log.LogInformation("Link to {Peer} at {Host}:{Port} not up ({Reason}); retry {Attempt} in {Delay}",
                            peerId, host, port, Describe(args.Outcome.Exception), args.AttemptNumber + 1, args.RetryDelay);
                    }
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        var link = GetOrAdd(peerId);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // A peer that dialled us already gave us a session: one session per pair.
                while (link.IsUp && !ct.IsCancellationRequested) await Task.Delay(_settings.ReconnectDelay, _time, ct).ConfigureAwait(false);
                var session = await pipeline.ExecuteAsync(async token =>
                {
                    var client = new TcpClient { NoDelay = true };
                    try
                    {
                        await client.ConnectAsync(host, port, token).ConfigureAwait(false);
                        var (stream, proven) = await HandshakeAsync(client, peerId, token).ConfigureAwait(false);
                        return Attach(proven, stream, client);
                    }
                    catch
                    {
                        client.Dispose();
                        throw;
                    }
                }, ct).ConfigureAwait(false);
                await session.Completion.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
        }
    }

    private async Task<(SslStream, LinkTls.Peer)> HandshakeAsync(TcpClient client, string? expectedPeer, CancellationToken ct)
    {
        client.NoDelay = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.HandshakeTimeout);
        var trust = _trust();
        return expectedPeer is null
            ? await LinkTls.AcceptAsync(client.GetStream(), _certificate, _self, trust, Admits, _time, timeout.Token).ConfigureAwait(false)
            : await LinkTls.DialAsync(client.GetStream(), _certificate, _self, trust, expectedPeer, _time, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Whom the listener takes a session from: any node of the constellation but itself and its file peers, unless <see cref="TcpRelaySettings.AcceptFrom"/> says.</summary>
    private string? Admits(string peerId) =>
        _settings.AcceptFrom is { } only && !only.Contains(peerId) ? $"node '{peerId}' is not a peer of this node's link"
        : _settings.RefuseFrom.Contains(peerId) ? $"node '{peerId}' is a file peer of this node (air-gapped: it syncs by USB bundle files, never over the link)"
        : null;

    private TcpSession Attach(LinkTls.Peer peer, SslStream stream, TcpClient client)
    {
        var grant = new Grant(peer.Certificate, peer.TrustVersion, _time.GetUtcNow());
        var session = new TcpSession(peer.Id, stream, client, _settings, _budget, _time, _log, () => StillTrusted(peer.Id, grant));
        GetOrAdd(peer.Id).Attach(session, _time.GetUtcNow());
        _log.LogInformation("Link session with {Peer} up over mutual TLS 1.3 ({Remote}, constellation version {Version})", peer.Id, client.Client.RemoteEndPoint, peer.TrustVersion);
        return session;
    }

    /// <summary>
    /// Null while the peer of a live session may keep it: its certificate is checked again whenever the constellation version
    /// in force changes (a revocation cuts the session at its next frame) and every <see cref="RecheckInterval"/> (expiry).
    /// </summary>
    private string? StillTrusted(string peerId, Grant grant)
    {
        var trust = _trust();
        var now = _time.GetUtcNow();
        lock (grant)
        {
            if (trust.Version == grant.Version && now - grant.CheckedAt < RecheckInterval) return null;
            var problem = LinkTls.Check(grant.Certificate, trust, now, _self, peerId, null, out _);
            if (problem is not null) return $"{problem} (checked again during the session under constellation version {trust.Version})";
            grant.Version = trust.Version;
            grant.CheckedAt = now;
            return null;
        }
    }

    private sealed class Grant(X509Certificate2 certificate, int version, DateTimeOffset checkedAt)
    {
        public X509Certificate2 Certificate { get; } = certificate;
        public int Version { get; set; } = version;
        public DateTimeOffset CheckedAt { get; set; } = checkedAt;
    }

    private static string Describe(Exception? ex) => ex switch
    {
        null => "unknown",
        LinkProtocolException p => p.Message,
        OperationCanceledException => "handshake timed out",
        _ => ex.Message,
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        foreach (var link in _links.Values) link.Close();
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
    }
}
