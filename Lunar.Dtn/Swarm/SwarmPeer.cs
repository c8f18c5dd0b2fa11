using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// One connection to a peer: its state as BEP 3 defines it (choked/interested both ways, what it has) and its I/O. The
/// torrent changes the state under its own lock; frames leave through <see cref="Send"/>, a queue one writer drains,
/// so no socket write ever happens under that lock. Blocks to upload are queued as requests and read from disk only
/// when their turn comes (so a cancel still saves the bytes).
/// </summary>
internal sealed class SwarmPeer
{
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(60);
    private readonly Socket _socket;
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();

    public SwarmPeer(Socket socket, Stream stream, IPEndPoint endpoint, byte[] peerId, int pieceCount, bool outbound)
    {
        _socket = socket;
        Stream = stream;
        Endpoint = endpoint;
        PeerId = peerId;
        IsMirror = PeerHandshake.IsMirror(peerId);
        Has = new bool[pieceCount];
        Outbound = outbound;
    }

    public Stream Stream { get; }
    public IPEndPoint Endpoint { get; }
    public byte[] PeerId { get; }
    public string PeerIdText => System.Text.Encoding.ASCII.GetString(PeerId.Select(b => b is >= 32 and < 127 ? b : (byte)'.').ToArray());
    public bool IsMirror { get; }
    public bool Outbound { get; }
    public bool[] Has { get; }
    public int HasCount { get; set; }
    public bool AmChoking { get; set; } = true;
    public bool AmInterested { get; set; }
    public bool PeerChoking { get; set; } = true;
    public bool PeerInterested { get; set; }

    /// <summary>Our outstanding requests to this peer: (piece, offset) → length.</summary>
    public Dictionary<(int Piece, int Offset), int> Requested { get; } = [];

    /// <summary>Blocks this peer asked for and has not yet been sent (cancel removes them).</summary>
    public HashSet<(int Piece, int Offset, int Length)> Queued { get; } = [];

    /// <summary>Super-seeding: pieces offered to this peer that it does not have yet.</summary>
    public HashSet<int> Offered { get; } = [];

    /// <summary>Super-seeding: bytes of each offered piece sent to this peer so far.</summary>
    public Dictionary<int, int> SentOfPiece { get; } = [];

    public int UnrequestedBlocks { get; set; }
    public int BadPieces { get; set; }
    public string? CloseReason { get; private set; }
    public CancellationToken Closed => _closed.Token;

    public void Send(byte[] frame) => _outbox.Writer.TryWrite(new Outgoing(frame, default));

    public void QueueBlock(int piece, int offset, int length) => _outbox.Writer.TryWrite(new Outgoing(null, (piece, offset, length)));

    public void Close(string reason)
    {
        CloseReason ??= reason;
        _outbox.Writer.TryComplete();
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
        try { _socket.Dispose(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Reads one message, refusing any longer than <paramref name="maxLength"/> (the connection is then closed by the caller).</summary>
    public async Task<PeerMessage> ReadAsync(int maxLength, CancellationToken ct)
    {
        var header = new byte[4];
        await Stream.ReadExactlyAsync(header, ct).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length == 0) return PeerMessage.KeepAlive;
        if (length < 0 || length > maxLength) throw new InvalidDataException($"a message of {length} bytes (at most {maxLength} allowed)");
        var body = new byte[length];
        await Stream.ReadExactlyAsync(body, ct).ConfigureAwait(false);
        return new PeerMessage((PeerMessageId)body[0], body[1..]);
    }

    /// <summary>Drains the queue: frames as they are, blocks read from <paramref name="read"/> and paid for at the limiter.</summary>
    public async Task WriteLoopAsync(Func<int, int, int, byte[]?> read, UploadLimiter? limiter, Action<SwarmPeer, int, int> uploaded, CancellationToken ct)
    {
        var reader = _outbox.Reader;
        while (true)
        {
            using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
            keepAlive.CancelAfter(KeepAliveEvery);
            bool more;
            try { more = await reader.WaitToReadAsync(keepAlive.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await Stream.WriteAsync(new byte[4], ct).ConfigureAwait(false);
                continue;
            }
            if (!more) return;
            while (reader.TryRead(out var item))
            {
                if (item.Frame is not null)
                {
                    await Stream.WriteAsync(item.Frame, ct).ConfigureAwait(false);
                    continue;
                }
                var (piece, offset, length) = item.Block;
                var block = read(piece, offset, length);
                if (block is null) continue; // cancelled meanwhile
                if (limiter is not null) await limiter.TakeAsync(length, ct).ConfigureAwait(false);
                await Stream.WriteAsync(PeerMessage.Piece(piece, offset, block), ct).ConfigureAwait(false);
                uploaded(this, piece, length);
            }
        }
    }

    private readonly record struct Outgoing(byte[]? Frame, (int Piece, int Offset, int Length) Block);
}
