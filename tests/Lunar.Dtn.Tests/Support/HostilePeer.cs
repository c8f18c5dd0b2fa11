using System.Net;
using System.Net.Sockets;
using Lunar.Dtn.Swarm;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A BitTorrent peer that lies: it answers the handshake for the torrent, claims every piece, unchokes, and then sends
/// data nobody asked for without end — either a stream of well-formed but unrequested blocks, or one message whose
/// declared length is far beyond anything the protocol allows. It counts what it managed to send and notices when the
/// other side cuts it off. Each flood is bounded (<see cref="MaxBytesPerConnection"/>, <see cref="MaxTimePerConnection"/>).
/// </summary>
public sealed class HostilePeer : IAsyncDisposable
{
    public const long MaxBytesPerConnection = 256L * 1024 * 1024;
    public static readonly TimeSpan MaxTimePerConnection = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Metainfo> _meta;
    private readonly bool _oversized;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<long> _cutOff = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;
    private long _sent;
    private int _connections;

    /// <param name="oversized">True: one message declaring 1 GiB; false: unrequested 16 KiB blocks, one after another.</param>
    /// <param name="meta">The torrent it pretends to have (asked at each connection: a test may switch artifacts).</param>
    public HostilePeer(Func<Metainfo> meta, bool oversized)
    {
        _meta = meta;
        _oversized = oversized;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public long BytesSent => Interlocked.Read(ref _sent);

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes (with the bytes that connection had sent) the first time a flood is cut off by the other side.</summary>
    public Task<long> CutOff => _cutOff.Task;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => FloodAsync(socket));
        }
    }

    private async Task FloodAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        limit.CancelAfter(MaxTimePerConnection);
        long sent = 0;
        try
        {
            var theirs = await PeerHandshake.ReadAsync(stream, limit.Token);
            if (theirs is null) return;
            var meta = _meta();
            await stream.WriteAsync(new PeerHandshake(meta.InfoHash, PeerHandshake.NewPeerId(mirror: false)).Encode(), limit.Token);
            var all = new byte[(meta.PieceCount + 7) / 8];
            for (var i = 0; i < meta.PieceCount; i++) all[i / 8] |= (byte)(0x80 >> (i % 8));
            await stream.WriteAsync(PeerMessage.Frame(PeerMessageId.Bitfield, all), limit.Token);
            await stream.WriteAsync(PeerMessage.Simple(PeerMessageId.Unchoke), limit.Token);
            var chunk = _oversized ? new byte[64 * 1024] : PeerMessage.Piece(0, 0, new byte[PeerMessage.BlockSize]);
            if (_oversized)
            {
                // A 'piece' message claiming 1 GiB, then zeros for as long as the other side reads them.
                var header = new byte[] { 0x40, 0, 0, 0, (byte)PeerMessageId.Piece };
                await stream.WriteAsync(header, limit.Token);
                sent += header.Length;
            }
            while (sent < MaxBytesPerConnection)
            {
                await stream.WriteAsync(chunk, limit.Token);
                sent += chunk.Length;
                Interlocked.Add(ref _sent, chunk.Length);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _cutOff.TrySetResult(sent); // the agent closed the connection
        }
        catch (OperationCanceledException)
        {
            // our own bound, or disposal
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
