using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>
/// Accepts TCPCLv4 sessions on one endpoint and hands up every bundle they carry. A connection that fails the
/// contact or SESS_INIT exchange is logged and dropped; everyone else keeps being served.
/// </summary>
public sealed class TcpclListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TcpclSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpclSession> _sessions = [];
    private Task _loop = Task.CompletedTask;

    public TcpclListener(IPEndPoint endpoint, TcpclSettings settings, TimeProvider time, ILogger log)
    {
        settings.Validate();
        _listener = new TcpListener(endpoint);
        _settings = settings;
        _time = time;
        _log = log;
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Raised with every complete bundle received on any accepted session.</summary>
    public event Action<TcpclSession, byte[]>? BundleReceived;

    /// <summary>Raised when a session has been established.</summary>
    public event Action<TcpclSession>? SessionStarted;

    public long Refused => Interlocked.Read(ref _refused);
    private long _refused;

    public IReadOnlyList<TcpclSession> Sessions { get { lock (_sessions) return _sessions.Where(s => !s.Completion.IsCompleted).ToArray(); } }

    public void Start()
    {
        _listener.Start();
        _log.LogInformation("TCPCLv4 listening on {Endpoint} as {NodeId}", _listener.LocalEndpoint, _settings.NodeId);
        _loop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException ex) { _log.LogWarning("TCPCL accept failed: {Error}", ex.Message); continue; }
            _ = Task.Run(() => EstablishAsync(client, ct), ct);
        }
    }

    private async Task EstablishAsync(TcpClient client, CancellationToken ct)
    {
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        client.NoDelay = true;
        try
        {
            var session = await TcpclSession.EstablishAsync(client.GetStream(), client, _settings, _time, _log, ct).ConfigureAwait(false);
            session.BundleReceived += (s, b) => BundleReceived?.Invoke(s, b);
            lock (_sessions)
            {
                _sessions.RemoveAll(s => s.Completion.IsCompleted);
                _sessions.Add(session);
            }
            _log.LogInformation("TCPCL session from {Remote} ({Peer}) up {Tls}; keepalive {Keepalive}, segments up to {Segment} bytes",
                remote, session.Peer.NodeId, session.IsTls ? $"inside TLS 1.3 with node '{session.TlsPeer}'" : "in clear (the peer offers no TLS)", session.KeepaliveInterval, session.SegmentSize);
            SessionStarted?.Invoke(session);
        }
        catch (Exception ex) when (ex is TcpclProtocolException or IOException or OperationCanceledException or SocketException or EndOfStreamException)
        {
            Interlocked.Increment(ref _refused);
            _log.LogWarning("Refused TCPCL connection from {Remote}: {Reason}", remote, ex is OperationCanceledException ? "contact timed out" : ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var s in Sessions) s.Close("listener stopped");
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
