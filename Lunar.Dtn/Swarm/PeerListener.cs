using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// Accepts peer connections on one TCP port for any number of torrents: reads the handshake, finds the torrent by
/// its info-hash (none: the connection is dropped) and hands the connection over.
/// </summary>
public sealed class PeerListener : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener;
    private readonly Func<byte[], SwarmTorrent?> _find;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public PeerListener(IPEndPoint endpoint, Func<byte[], SwarmTorrent?> find, ILogger log)
    {
        _find = find;
        _log = log;
        _listener = new TcpListener(endpoint);
        _listener.Start(128);
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where peers reach us (the real port when 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            socket.NoDelay = true;
            _ = Task.Run(() => HandshakeAsync(socket));
        }
    }

    private async Task HandshakeAsync(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        PeerHandshake? theirs;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(HandshakeTimeout);
            theirs = await PeerHandshake.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or SocketException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }
        var torrent = theirs is null ? null : _find(theirs.InfoHash);
        if (theirs is null || torrent is null)
        {
            _log.LogDebug("Dropped a connection from {Remote}: {Why}", socket.RemoteEndPoint, theirs is null ? "not the BitTorrent protocol" : "unknown info-hash");
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }
        torrent.Track(_ => torrent.AcceptAsync(socket, stream, theirs));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }
}
