using System.Collections.Concurrent;
using System.Net;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Swarm;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The Moon mirror in the private swarm: a v1 torrent (private flag set) for every verified artifact the node holds,
/// a seeder for all of them on <c>Swarm:PeerPort</c> under the shared upload cap, and the tracker that serves those
/// info-hashes only. Artifacts that arrive later are picked up every couple of seconds, or at once when asked for.
/// </summary>
public sealed class MirrorSwarm(ArtifactContentStore content, SwarmOptions options, TimeProvider time, ILogger<MirrorSwarm> log) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RescanEvery = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, Lazy<SwarmTorrent>> _bySha = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SwarmTorrent> _byInfoHash = new(StringComparer.Ordinal);
    private readonly byte[] _peerId = PeerHandshake.NewPeerId(mirror: true);
    private readonly UploadLimiter? _limiter = UploadLimiter.FromMbps(options.MirrorUploadMbps, time);
    private PeerListener? _listener;
    private ITimer? _rescan;

    public IPEndPoint? PeerEndpoint => _listener?.Endpoint;

    public SwarmOptions Options => options;

    private SwarmTracker? _tracker;

    public SwarmTracker Tracker => _tracker ?? throw new InvalidOperationException("the mirror swarm is not started");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _tracker = new SwarmTracker(time, h => _byInfoHash.ContainsKey(Convert.ToHexStringLower(h)), _ => PeerEndpoint, options.AnnounceIntervalSeconds);
        _tracker.LeecherAnnounced += DialLeecher;
        _listener = new PeerListener(new IPEndPoint(IPAddress.Parse(options.PeerHost), options.PeerPort),
            h => _byInfoHash.GetValueOrDefault(Convert.ToHexStringLower(h)), log);
        log.LogInformation("Mirror seeder listening on {Endpoint} (upload cap {Cap}, super-seeding {SuperSeed})", _listener.Endpoint,
            options.MirrorUploadMbps > 0 ? $"{options.MirrorUploadMbps} Mbit/s" : "none", options.SuperSeed);
        _rescan = time.CreateTimer(_ => Rescan(), null, TimeSpan.Zero, RescanEvery);
        return Task.CompletedTask;
    }

    /// <summary>The seeding torrent of the artifact with this SHA-256 (created on first use); null when the mirror does not hold it.</summary>
    public SwarmTorrent? TorrentOf(string sha256)
    {
        var sha = sha256.ToLowerInvariant();
        if (content.PathOf(sha) is not { } path) return null;
        var lazy = _bySha.GetOrAdd(sha, s => new Lazy<SwarmTorrent>(() => Seed(s, path)));
        return lazy.Value;
    }

    public IReadOnlyCollection<SwarmTorrent> Torrents => _byInfoHash.Values.ToArray();

    /// <summary>Bytes the mirror's seeder has uploaded, all torrents.</summary>
    public long BytesUploaded => _byInfoHash.Values.Sum(t => t.BytesUploaded);

    private SwarmTorrent Seed(string sha, string path)
    {
        var size = new FileInfo(path).Length;
        var meta = Metainfo.Create(path, sha, Metainfo.ChoosePieceLength(size), isPrivate: true, announce: null);
        var torrent = new SwarmTorrent(meta, PieceStore.OpenComplete(meta, path),
            new SwarmTorrentOptions { PeerId = _peerId, Limiter = _limiter, SuperSeed = options.SuperSeed, MaxPeers = 200 }, time, log);
        _byInfoHash[meta.InfoHashHex] = torrent;
        log.LogInformation("Seeding artifact {Sha} ({Size} bytes, {Pieces} pieces of {PieceLength}) as info-hash {InfoHash}", sha, size, meta.PieceCount, meta.PieceLength, meta.InfoHashHex);
        return torrent;
    }

    private void Rescan()
    {
        try
        {
            foreach (var sha in content.Held()) TorrentOf(sha);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            log.LogWarning("Mirror rescan failed: {Error}", e.Message);
        }
    }

    private void DialLeecher(byte[] infoHash, byte[] peerId, IPEndPoint peer)
    {
        // Some clients (Transmission) never dial loopback peers; the mirror dials every leecher it has not met yet.
        if (_byInfoHash.GetValueOrDefault(Convert.ToHexStringLower(infoHash)) is not { } torrent || torrent.IsConnected(peer) || torrent.IsConnected(peerId)) return;
        torrent.Track(ct => torrent.DialAsync(peer, ct));
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_rescan is not null) await _rescan.DisposeAsync().ConfigureAwait(false);
        _rescan = null;
        if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
        _listener = null;
        foreach (var t in _byInfoHash.Values)
        {
            await t.DisposeAsync().ConfigureAwait(false);
            t.Store.Dispose();
        }
        _byInfoHash.Clear();
    }
}
