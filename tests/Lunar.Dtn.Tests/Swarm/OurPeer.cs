using System.Net;
using Lunar.Dtn.Swarm;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>
/// Our own peer for a test: a partial piece store in a folder, a listener on a free loopback port, optionally announcing
/// through <c>tracker</c>, an HTTPS client presenting an agent's certificate (<see cref="SwarmFixture.AgentClient"/>).
/// </summary>
public sealed class OurPeer : IAsyncDisposable
{
    private readonly PeerListener _listener;
    private readonly HttpClient? _http;
    private SwarmAnnouncer? _announcer;

    /// <param name="tracker">The client announces go through (disposed with the peer); none: the peer only dials and is dialled.</param>
    public OurPeer(Metainfo meta, string file, HttpClient? tracker = null)
    {
        _http = tracker;
        Torrent = new SwarmTorrent(meta, PieceStore.OpenPartial(meta, file), new SwarmTorrentOptions { PeerId = PeerHandshake.NewPeerId(mirror: false) },
            TimeProvider.System, NullLogger.Instance);
        _listener = new PeerListener(new IPEndPoint(IPAddress.Loopback, 0), h => h.AsSpan().SequenceEqual(meta.InfoHash) ? Torrent : null, NullLogger.Instance);
    }

    public SwarmTorrent Torrent { get; }

    public IPEndPoint Endpoint => _listener.Endpoint;

    public void Announce(string? site = null) =>
        _announcer = new SwarmAnnouncer(Torrent, new TrackerClient(_http ?? throw new InvalidOperationException("this peer has no tracker client (an agent's certificate)")), Torrent.Meta.Announce!, Endpoint.Port, site, TimeSpan.FromSeconds(2), TimeProvider.System, NullLogger.Instance);

    public void Dial(IPEndPoint peer) => Torrent.Track(ct => Torrent.DialAsync(peer, ct));

    public async Task CompleteAsync(string what, TimeSpan timeout)
    {
        try { await Torrent.Completion.WaitAsync(timeout); }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}: {Torrent.Store.HeldCount}/{Torrent.Meta.PieceCount} pieces, {Torrent.PeerCount} peers");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_announcer is not null) await _announcer.DisposeAsync();
        await _listener.DisposeAsync();
        await Torrent.DisposeAsync();
        Torrent.Store.Dispose();
        _http?.Dispose();
    }
}
