using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// One torrent in the swarm, downloading and uploading at once: BEP 3 peer wire over many connections, rarest-first
/// piece picking with an endgame, every piece checked against its SHA-1 before it is written or announced, every
/// interested peer unchoked (uploads paced by the optional limiter), and optional BEP 16 super-seeding for the mirror.
/// A malformed message, an oversized request or block, or unrequested data closes that peer's connection only.
/// </summary>
public sealed class SwarmTorrent : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(150);
    private const int MaxUnrequestedBlocks = 8;

    private readonly SwarmTorrentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly List<SwarmPeer> _peers = [];
    private readonly int[] _availability;
    private readonly int[] _offeredTimes;
    private readonly int[] _tieBreak;
    private readonly Dictionary<int, PieceProgress> _inProgress = [];
    private readonly HashSet<int> _reserved = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Task> _running = [];
    private long _fromPeers, _fromMirror, _uploaded;
    private long _lastProgress;
    private int _peersCutOff;
    private string? _lastCutOff;

    public SwarmTorrent(Metainfo meta, PieceStore store, SwarmTorrentOptions options, TimeProvider time, ILogger log)
    {
        Meta = meta;
        Store = store;
        _options = options;
        _time = time;
        _log = log;
        _availability = new int[meta.PieceCount];
        _offeredTimes = new int[meta.PieceCount];
        _tieBreak = Enumerable.Range(0, meta.PieceCount).ToArray();
        Random.Shared.Shuffle(_tieBreak);
        _lastProgress = time.GetTimestamp();
        if (store.IsComplete) _completed.TrySetResult();
    }

    public Metainfo Meta { get; }
    public PieceStore Store { get; }
    public byte[] PeerId => _options.PeerId;
    public bool IsComplete => Store.IsComplete;

    /// <summary>Completes when every piece is held and verified.</summary>
    public Task Completion => _completed.Task;

    public long BytesFromPeers => Interlocked.Read(ref _fromPeers);
    public long BytesFromMirror => Interlocked.Read(ref _fromMirror);
    public long BytesUploaded => Interlocked.Read(ref _uploaded);

    /// <summary>Time since the last verified piece (or since start).</summary>
    public TimeSpan SinceProgress => _time.GetElapsedTime(Interlocked.Read(ref _lastProgress));

    public int PeerCount { get { lock (_gate) return _peers.Count; } }

    /// <summary>Connections closed because the peer broke the protocol (endless or unrequested data, bad pieces, malformed messages).</summary>
    public int PeersCutOff => Volatile.Read(ref _peersCutOff);

    /// <summary>Why the last such peer was cut off ("peer -XX- at 127.0.0.1:1234: more than 8 blocks nobody requested").</summary>
    public string? LastCutOff => Volatile.Read(ref _lastCutOff);

    public int MaxPeers => _options.MaxPeers;

    /// <summary>Whether a peer with this id (or at this endpoint, when we dialled it) is connected.</summary>
    public bool IsConnected(IPEndPoint endpoint)
    {
        lock (_gate) return _peers.Any(p => p.Endpoint.Equals(endpoint));
    }

    /// <summary>Whether the peer with this peer id is connected.</summary>
    public bool IsConnected(byte[] peerId)
    {
        lock (_gate) return _peers.Any(p => p.PeerId.AsSpan().SequenceEqual(peerId));
    }

    /// <summary>Dials a peer and runs the connection until it closes. Failures only end this connection.</summary>
    public async Task DialAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        if (IsConnected(endpoint) || PeerCount >= _options.MaxPeers) return;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
            timeout.CancelAfter(HandshakeTimeout);
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            await stream.WriteAsync(new PeerHandshake(Meta.InfoHash, PeerId).Encode(), timeout.Token).ConfigureAwait(false);
            var theirs = await PeerHandshake.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (theirs is null || !theirs.InfoHash.AsSpan().SequenceEqual(Meta.InfoHash))
            {
                _log.LogDebug("Peer {Endpoint} answered with another protocol or torrent", endpoint);
                socket.Dispose();
                return;
            }
            await RunAsync(new SwarmPeer(socket, stream, endpoint, theirs.PeerId, Meta.PieceCount, outbound: true)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            _log.LogDebug("Dial of {Endpoint} failed: {Error}", endpoint, e.Message);
            socket.Dispose();
        }
    }

    /// <summary>Runs a connection whose handshake the listener has read (it matched this torrent): answers it, then serves.</summary>
    public async Task AcceptAsync(Socket socket, Stream stream, PeerHandshake theirs)
    {
        var endpoint = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.Loopback, 0);
        try
        {
            using var timeout = new CancellationTokenSource(HandshakeTimeout);
            await stream.WriteAsync(new PeerHandshake(Meta.InfoHash, PeerId).Encode(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            socket.Dispose();
            return;
        }
        await RunAsync(new SwarmPeer(socket, stream, endpoint, theirs.PeerId, Meta.PieceCount, outbound: false)).ConfigureAwait(false);
    }

    private async Task RunAsync(SwarmPeer peer)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested || _peers.Count >= _options.MaxPeers || PeerId.AsSpan().SequenceEqual(peer.PeerId) ||
                _peers.Any(p => p.PeerId.AsSpan().SequenceEqual(peer.PeerId)))
            {
                peer.Close("duplicate, self, or too many peers");
                return;
            }
            _peers.Add(peer);
            if (Store.IsComplete && _options.SuperSeed) Offer(peer);
            else if (Store.HeldCount > 0 && !_options.SuperSeed) peer.Send(PeerMessage.Frame(PeerMessageId.Bitfield, Store.Bitfield()));
        }
        _log.LogDebug("Peer {Peer} at {Endpoint} connected ({Direction})", peer.PeerIdText, peer.Endpoint, peer.Outbound ? "out" : "in");
        using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, peer.Closed);
        var writer = Task.Run(() => peer.WriteLoopAsync(ReadBlock(peer), _options.Limiter, Uploaded, both.Token));
        try
        {
            var reader = ReadLoopAsync(peer, both.Token);
            await Task.WhenAny(reader, writer).ConfigureAwait(false);
            if (reader.IsFaulted) peer.Close(reader.Exception!.InnerException!.Message);
            else if (writer.IsFaulted) peer.Close(writer.Exception!.InnerException!.Message);
            else peer.Close(peer.CloseReason ?? "closed");
            await Task.WhenAll(reader, writer).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            Detach(peer);
            _log.LogDebug("Peer {Peer} at {Endpoint} closed: {Reason}", peer.PeerIdText, peer.Endpoint, peer.CloseReason);
        }
    }

    private int MaxMessageLength => Math.Max(9 + PeerMessage.BlockSize, 1 + (Meta.PieceCount + 7) / 8);

    private async Task ReadLoopAsync(SwarmPeer peer, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            idle.CancelAfter(IdleTimeout);
            PeerMessage message;
            try { message = await peer.ReadAsync(MaxMessageLength, idle.Token).ConfigureAwait(false); }
            catch (InvalidDataException e)
            {
                CutOff(peer, e.Message); // e.g. a message longer than any the protocol allows: endless data
                return;
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException or OperationCanceledException)
            {
                peer.Close(e is OperationCanceledException && !ct.IsCancellationRequested ? "idle too long" : e.Message);
                return;
            }
            if (message.Id is null) continue;
            string? problem;
            lock (_gate) problem = Handle(peer, message);
            if (problem is not null)
            {
                CutOff(peer, problem);
                return;
            }
        }
    }

    /// <summary>Closes a peer that broke the protocol, and remembers why (the download's owner can say so if it stalls).</summary>
    private void CutOff(SwarmPeer peer, string problem)
    {
        _log.LogWarning("Closing peer {Peer} at {Endpoint}: {Problem}", peer.PeerIdText, peer.Endpoint, problem);
        Interlocked.Increment(ref _peersCutOff);
        Volatile.Write(ref _lastCutOff, $"peer {peer.PeerIdText} at {peer.Endpoint}: {problem}");
        peer.Close(problem);
    }

    /// <summary>Applies one message under the lock; a sentence when the peer broke the protocol (it is then closed).</summary>
    private string? Handle(SwarmPeer peer, PeerMessage m)
    {
        switch (m.Id)
        {
            case PeerMessageId.Choke:
                if (m.Payload.Length != 0) return "malformed choke";
                peer.PeerChoking = true;
                ReleaseRequests(peer);
                return null;
            case PeerMessageId.Unchoke:
                if (m.Payload.Length != 0) return "malformed unchoke";
                peer.PeerChoking = false;
                Fill(peer);
                return null;
            case PeerMessageId.Interested:
                if (m.Payload.Length != 0) return "malformed interested";
                peer.PeerInterested = true;
                if (peer.AmChoking)
                {
                    peer.AmChoking = false;
                    peer.Send(PeerMessage.Simple(PeerMessageId.Unchoke));
                }
                return null;
            case PeerMessageId.NotInterested:
                if (m.Payload.Length != 0) return "malformed not interested";
                peer.PeerInterested = false;
                return null;
            case PeerMessageId.Have:
            {
                if (m.Payload.Length != 4) return "malformed have";
                var index = m.Int(0);
                if (index < 0 || index >= Meta.PieceCount) return $"have for piece {index} of {Meta.PieceCount}";
                MarkHas(peer, index);
                EndOffer(peer, index);
                Offer(peer);
                UpdateInterest(peer);
                Fill(peer);
                return null;
            }
            case PeerMessageId.Bitfield:
            {
                // BEP 3 puts it first; some clients (aria2) send it later, so it is merged whenever it comes.
                if (m.Payload.Length != (Meta.PieceCount + 7) / 8) return $"bitfield of {m.Payload.Length} bytes for {Meta.PieceCount} pieces";
                for (var i = 0; i < m.Payload.Length * 8; i++)
                {
                    var set = (m.Payload[i / 8] & (0x80 >> (i % 8))) != 0;
                    if (!set) continue;
                    if (i >= Meta.PieceCount) return "bitfield with spare bits set";
                    MarkHas(peer, i);
                }
                foreach (var i in peer.Offered.Where(i => peer.Has[i]).ToArray()) EndOffer(peer, i);
                Offer(peer);
                UpdateInterest(peer);
                Fill(peer);
                return null;
            }
            case PeerMessageId.Request:
            {
                if (m.Payload.Length != 12) return "malformed request";
                int index = m.Int(0), offset = m.Int(1), length = m.Int(2);
                if (length is <= 0 or > PeerMessage.BlockSize) return $"request of {length} bytes (blocks are at most {PeerMessage.BlockSize})";
                if (index < 0 || index >= Meta.PieceCount || offset < 0 || (long)offset + length > Meta.PieceSize(index))
                    return $"request outside the torrent (piece {index}, offset {offset}, length {length})";
                if (peer.AmChoking || !Store.Has(index)) return null; // BEP 3: a choked or impossible request is simply not served
                if (peer.Queued.Count >= _options.MaxQueuedRequests) return $"more than {_options.MaxQueuedRequests} requests queued";
                if (peer.Queued.Add((index, offset, length))) peer.QueueBlock(index, offset, length);
                return null;
            }
            case PeerMessageId.Cancel:
                if (m.Payload.Length != 12) return "malformed cancel";
                peer.Queued.Remove((m.Int(0), m.Int(1), m.Int(2)));
                return null;
            case PeerMessageId.Piece:
                return m.Payload.Length < 8 ? "malformed piece" : OnBlock(peer, m.Int(0), m.Int(1), m.Payload.AsSpan(8));
            case PeerMessageId.Port:
                return null; // DHT port: we run no DHT (private torrents)
            default:
                return $"unknown message id {(int?)m.Id}";
        }
    }

    private string? OnBlock(SwarmPeer peer, int index, int offset, ReadOnlySpan<byte> block)
    {
        if (block.Length > PeerMessage.BlockSize) return $"a block of {block.Length} bytes (at most {PeerMessage.BlockSize})";
        if (!peer.Requested.Remove((index, offset), out var asked))
        {
            // Late answers to requests we cancelled are normal in the endgame; a stream of data nobody asked for is not.
            return ++peer.UnrequestedBlocks > MaxUnrequestedBlocks ? $"more than {MaxUnrequestedBlocks} blocks nobody requested" : null;
        }
        if (block.Length != asked) return $"a block of {block.Length} bytes for a request of {asked}";
        if (peer.IsMirror) Interlocked.Add(ref _fromMirror, block.Length);
        else Interlocked.Add(ref _fromPeers, block.Length);
        if (_inProgress.TryGetValue(index, out var progress))
        {
            var b = offset / PeerMessage.BlockSize;
            progress.RequestedFrom[b] = Math.Max(0, progress.RequestedFrom[b] - 1);
            if (!progress.Got[b])
            {
                block.CopyTo(progress.Data.AsSpan(offset));
                progress.Got[b] = true;
                progress.GotCount++;
                CancelDuplicates(peer, index, offset, asked);
                if (progress.Complete)
                {
                    _inProgress.Remove(index);
                    if (!CompletePiece(index, progress.Data))
                    {
                        _log.LogWarning("Piece {Index} from {Peer} failed its SHA-1 check; dropped", index, peer.PeerIdText);
                        if (++peer.BadPieces >= 2) return "sent pieces that fail their SHA-1 check";
                    }
                }
            }
        }
        Fill(peer);
        return null;
    }

    /// <summary>Verifies and writes a whole piece; on success announces it to every peer. Under the lock.</summary>
    private bool CompletePiece(int index, byte[] data)
    {
        if (!Store.TryWrite(index, data)) return false;
        Interlocked.Exchange(ref _lastProgress, _time.GetTimestamp());
        var have = PeerMessage.Have(index);
        foreach (var p in _peers)
        {
            // Sent to every peer, even one that has the piece: a super-seeder learns from it that its offer was taken.
            p.Send(have);
            if (p.AmInterested && p.Has[index]) UpdateInterest(p);
        }
        if (Store.IsComplete)
        {
            _completed.TrySetResult();
            _log.LogInformation("Torrent {Name} complete: {Peers} bytes from peers, {Mirror} from the mirror", Meta.Name, BytesFromPeers, BytesFromMirror);
        }
        return true;
    }

    /// <summary>A piece fetched some other way (the mirror's HTTP fallback): verified like any other. False if it fails its SHA-1.</summary>
    public bool AddPiece(int index, byte[] data)
    {
        lock (_gate)
        {
            _reserved.Remove(index);
            if (Store.Has(index)) return true;
            if (!CompletePiece(index, data)) return false;
            _inProgress.Remove(index);
            foreach (var p in _peers) Fill(p);
            return true;
        }
    }

    /// <summary>
    /// For the HTTP fallback: a missing piece no peer is working on, preferring one no connected peer has; it is kept from
    /// the peers until <see cref="AddPiece"/> or <see cref="Release"/>. False when nothing is left to take.
    /// A piece begun from a peer that has no request outstanding for it any more (the peer left, or was cut off, after
    /// some of its blocks) counts as no one's: its partial blocks are dropped and it is taken, or it could wait forever
    /// for a peer that has it.
    /// </summary>
    public bool TryReserve(out int index)
    {
        lock (_gate)
        {
            index = -1;
            var best = int.MaxValue;
            foreach (var i in _tieBreak)
            {
                if (Store.Has(i) || _reserved.Contains(i)) continue;
                if (_inProgress.TryGetValue(i, out var p) && IsBeingFetched(p)) continue;
                if (_availability[i] < best) { best = _availability[i]; index = i; }
            }
            if (index < 0) return false;
            _inProgress.Remove(index);
            _reserved.Add(index);
            return true;
        }
    }

    /// <summary>Some block still missing has a request outstanding (a received block's count may linger after an endgame cancel).</summary>
    private static bool IsBeingFetched(PieceProgress p)
    {
        for (var b = 0; b < p.Got.Length; b++)
            if (!p.Got[b] && p.RequestedFrom[b] > 0) return true;
        return false;
    }

    public void Release(int index)
    {
        lock (_gate) _reserved.Remove(index);
    }

    /// <summary>Missing pieces that no connected peer has.</summary>
    public int UnavailableMissing()
    {
        lock (_gate) return Enumerable.Range(0, Meta.PieceCount).Count(i => !Store.Has(i) && _availability[i] == 0);
    }

    private void MarkHas(SwarmPeer peer, int index)
    {
        if (peer.Has[index]) return;
        peer.Has[index] = true;
        peer.HasCount++;
        _availability[index]++;
    }

    private void UpdateInterest(SwarmPeer peer)
    {
        var wants = false;
        if (!Store.IsComplete)
            for (var i = 0; i < Meta.PieceCount && !wants; i++) wants = peer.Has[i] && !Store.Has(i);
        if (wants == peer.AmInterested) return;
        peer.AmInterested = wants;
        peer.Send(PeerMessage.Simple(wants ? PeerMessageId.Interested : PeerMessageId.NotInterested));
    }

    /// <summary>Keeps the peer's request pipeline full: blocks of pieces under way first, then the rarest new piece, then the endgame.</summary>
    private void Fill(SwarmPeer peer)
    {
        while (!peer.PeerChoking && peer.Requested.Count < _options.PipelineDepth && !Store.IsComplete)
        {
            if (!TryPick(peer, out var index, out var block)) return;
            var progress = _inProgress[index];
            var length = progress.BlockLength(block);
            var offset = block * PeerMessage.BlockSize;
            progress.RequestedFrom[block]++;
            peer.Requested[(index, offset)] = length;
            peer.Send(PeerMessage.Request(index, offset, length));
        }
    }

    private bool TryPick(SwarmPeer peer, out int index, out int block)
    {
        foreach (var (i, p) in _inProgress)
        {
            if (!peer.Has[i]) continue;
            for (var b = 0; b < p.Got.Length; b++)
                if (!p.Got[b] && p.RequestedFrom[b] == 0) { (index, block) = (i, b); return true; }
        }
        var rarest = -1;
        foreach (var i in _tieBreak)
        {
            if (!peer.Has[i] || Store.Has(i) || _inProgress.ContainsKey(i) || _reserved.Contains(i)) continue;
            if (rarest < 0 || _availability[i] < _availability[rarest]) rarest = i;
        }
        if (rarest >= 0)
        {
            _inProgress[rarest] = new PieceProgress(Meta.PieceSize(rarest));
            (index, block) = (rarest, 0);
            return true;
        }
        // Endgame: every missing piece is under way; ask this peer too for blocks still outstanding elsewhere.
        foreach (var (i, p) in _inProgress)
        {
            if (!peer.Has[i]) continue;
            for (var b = 0; b < p.Got.Length; b++)
                if (!p.Got[b] && p.RequestedFrom[b] < 3 && !peer.Requested.ContainsKey((i, b * PeerMessage.BlockSize))) { (index, block) = (i, b); return true; }
        }
        (index, block) = (-1, -1);
        return false;
    }

    private void CancelDuplicates(SwarmPeer from, int index, int offset, int length)
    {
        foreach (var p in _peers)
            if (p != from && p.Requested.Remove((index, offset)))
                p.Send(PeerMessage.Cancel(index, offset, length));
    }

    private void ReleaseRequests(SwarmPeer peer)
    {
        foreach (var ((index, offset), _) in peer.Requested)
            if (_inProgress.TryGetValue(index, out var p))
            {
                var b = offset / PeerMessage.BlockSize;
                p.RequestedFrom[b] = Math.Max(0, p.RequestedFrom[b] - 1);
            }
        peer.Requested.Clear();
        // A piece nobody is fetching any more is dropped only when nothing of it arrived, so it can go to the rarest-first picker again.
        foreach (var i in _inProgress.Where(kv => kv.Value.GotCount == 0 && kv.Value.RequestedFrom.All(r => r == 0)).Select(kv => kv.Key).ToArray())
            _inProgress.Remove(i);
    }

    /// <summary>
    /// Super-seeding: offers the peer pieces that nobody connected has and that are not on offer to anyone else, so
    /// the mirror sends each piece about once and the fleet passes it on. Nothing else is offered: a piece some peer
    /// holds travels between peers; should its holders leave, it becomes eligible again.
    /// </summary>
    private void Offer(SwarmPeer peer)
    {
        if (!_options.SuperSeed || !Store.IsComplete) return;
        foreach (var i in _tieBreak)
        {
            if (peer.Offered.Count >= _options.SuperSeedOffers) return;
            if (peer.Has[i] || _availability[i] > 0 || _offeredTimes[i] > 0) continue;
            peer.Offered.Add(i);
            _offeredTimes[i]++;
            peer.Send(PeerMessage.Have(i));
        }
    }

    /// <summary>An offer ends when the peer has the piece (or is gone): the piece is no longer "on offer".</summary>
    private void EndOffer(SwarmPeer peer, int piece)
    {
        if (peer.Offered.Remove(piece)) _offeredTimes[piece]--;
        peer.SentOfPiece.Remove(piece);
    }

    private void OfferToAll()
    {
        if (!_options.SuperSeed || !Store.IsComplete) return;
        foreach (var p in _peers)
            if (p.Offered.Count < _options.SuperSeedOffers) Offer(p);
    }

    private Func<int, int, int, byte[]?> ReadBlock(SwarmPeer peer) => (index, offset, length) =>
    {
        lock (_gate)
            if (!peer.Queued.Remove((index, offset, length))) return null;
        return Store.Read(index, offset, length);
    };

    private void Uploaded(SwarmPeer peer, int piece, int bytes)
    {
        Interlocked.Add(ref _uploaded, bytes);
        if (!_options.SuperSeed) return;
        lock (_gate)
        {
            // Super-seeding: once a whole offered piece has gone to the peer, offer the next (clients that suppress
            // redundant 'have' messages never tell us they took it).
            if (!peer.Offered.Contains(piece)) return;
            var sent = peer.SentOfPiece.GetValueOrDefault(piece) + bytes;
            peer.SentOfPiece[piece] = sent;
            if (sent >= Meta.PieceSize(piece))
            {
                // Sent whole: count it as held by the peer (some clients never send a redundant 'have').
                MarkHas(peer, piece);
                EndOffer(peer, piece);
                Offer(peer);
            }
        }
    }

    private void Detach(SwarmPeer peer)
    {
        lock (_gate)
        {
            if (!_peers.Remove(peer)) return;
            for (var i = 0; i < peer.Has.Length; i++)
                if (peer.Has[i]) _availability[i]--;
            foreach (var i in peer.Offered) _offeredTimes[i]--;
            peer.Offered.Clear();
            ReleaseRequests(peer);
            foreach (var p in _peers) Fill(p);
            OfferToAll(); // pieces only that peer held may be on offer again
        }
    }

    /// <summary>Starts a connection in the background, tracked so disposal waits for it.</summary>
    public void Track(Func<CancellationToken, Task> work)
    {
        Task task;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return;
            task = Task.Run(() => work(_stop.Token));
            _running.Add(task);
        }
        task.ContinueWith(t => { lock (_gate) _running.Remove(t); }, TaskScheduler.Default);
    }

    public CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            _stop.Cancel();
            foreach (var p in _peers) p.Close("torrent stopped");
            running = [.. _running];
        }
        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _stop.Dispose();
    }
}
