using System.Net;
using System.Security.Cryptography;
using Lunar.Dtn.Agent.Runner;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Swarm;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>
/// Gets the assigned artifact into <c>Agent:DataDir/artifacts/&lt;sha256&gt;</c>: the torrent from the node, pieces from
/// peers (the tracker lists our own site first) and, when no peer delivers for <c>Agent:StallSeconds</c>, from the
/// mirror's HTTP content endpoint. Every piece is checked against its SHA-1 before it is written; held pieces survive a
/// restart. The artifact is seeded on <c>Agent:PeerPort</c> while the agent keeps it (also after a restart). Whether
/// the file is the signed artifact is <see cref="VerifyAsync"/>'s business, before anything is applied.
/// </summary>
public sealed class ArtifactFetcher(AgentOptions options, IHttpClientFactory http, AgentMetrics metrics, TimeProvider time, ILogger<ArtifactFetcher> log)
    : IHostedService, IAsyncDisposable
{
    private const int MaxTorrentBytes = 4 * 1024 * 1024;
    private const int HttpPiecesAtOnce = 4;
    private readonly byte[] _peerId = PeerHandshake.NewPeerId(mirror: false);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PeerListener? _listener;
    private Active? _active;
    private ArtifactTraffic _past;

    private string Folder => Path.Combine(options.DataDir, "artifacts");

    /// <summary>All artifact traffic since this process started.</summary>
    public ArtifactTraffic Traffic => _past + (_active?.Traffic ?? default);

    public IPEndPoint? PeerEndpoint => _listener?.Endpoint;

    /// <summary>
    /// The current download's peers that were cut off for breaking the protocol (endless or unrequested data, pieces
    /// failing their SHA-1), in words; null when none. Said with a download that ran out of time, so the operator
    /// knows a hostile or broken peer was involved.
    /// </summary>
    public string? PeerTrouble => _active?.Torrent is { PeersCutOff: > 0 } t
        ? $"{t.PeersCutOff} peer connection(s) cut off for breaking the protocol; the last was {t.LastCutOff}"
        : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        _listener = new PeerListener(new IPEndPoint(IPAddress.Parse(options.PeerHost), options.PeerPort),
            h => _active is { } a && a.Torrent.Meta.InfoHash.AsSpan().SequenceEqual(h) ? a.Torrent : null, log);
        metrics.Traffic = () => Traffic;
        log.LogInformation("Peer port {Endpoint}", _listener.Endpoint);
        await ResumeSeedingAsync().ConfigureAwait(false);
    }

    /// <summary>Downloads the assignment's artifact; the file's path, or the reason the sources were refused.</summary>
    /// <remarks>
    /// The one edge for refusals: whichever source refuses (the node's torrent, the mirror), the fetch ends as
    /// <see cref="FetchOutcome.Refused"/>. A <see cref="RefusedException"/> escaping would end the agent's loop (exit code 3),
    /// and every restart would resume the journal's download into the same refusal: a crash loop.
    /// </remarks>
    public async Task<FetchOutcome> FetchAsync(Assignment a, CancellationToken ct)
    {
        try { return await DownloadAsync(a, ct).ConfigureAwait(false); }
        catch (RefusedException e) { return FetchOutcome.Refused(e.Message); }
    }

    private async Task<FetchOutcome> DownloadAsync(Assignment a, CancellationToken ct)
    {
        var sha = a.Sha256.ToLowerInvariant();
        var torrentBytes = await GetTorrentAsync(a, ct).ConfigureAwait(false);
        Metainfo meta;
        try { meta = Metainfo.Parse(torrentBytes); }
        catch (InvalidDataException e) { return FetchOutcome.Refused($"the node's torrent for {a.ArtifactName} {a.Version} is malformed: {e.Message}"); }
        if (meta.Length > a.SizeBytes)
            return FetchOutcome.Refused($"endless data refused: the torrent describes {meta.Length} bytes but the signed artifact is {a.SizeBytes}");
        if (meta.Length != a.SizeBytes)
            return FetchOutcome.Refused($"the torrent describes {meta.Length} bytes, not the signed {a.SizeBytes}");

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        Active active;
        try { active = await ActivateAsync(sha, meta, torrentBytes).ConfigureAwait(false); }
        finally { _gate.Release(); }

        var mirror = new MirrorFallback(http.CreateClient("node"), a.SizeBytes);
        var lastPeerBytes = -1L;
        var lastPeerProgress = time.GetTimestamp();
        var badPieces = 0;
        while (!active.Torrent.IsComplete)
        {
            ct.ThrowIfCancellationRequested();
            var swarmBytes = active.Torrent.BytesFromPeers + active.Torrent.BytesFromMirror;
            if (swarmBytes != lastPeerBytes) (lastPeerBytes, lastPeerProgress) = (swarmBytes, time.GetTimestamp());
            // Alone (no tracker, or it failed or listed nobody, and no peer connected): no point waiting for peers.
            var alone = active.Torrent.PeerCount == 0 &&
                (active.Announcer is null || (active.Announcer.Answers > 0 && (active.Announcer.LastFailure is not null || active.Announcer.LastPeerCount == 0)));
            if (!alone && time.GetElapsedTime(lastPeerProgress) < TimeSpan.FromSeconds(options.StallSeconds))
            {
                try { await active.Torrent.Completion.WaitAsync(TimeSpan.FromMilliseconds(250), time, ct).ConfigureAwait(false); }
                catch (TimeoutException) { }
                continue;
            }
            // No peer delivered for a while (no peer has the pieces, or the swarm stalled): the mirror's HTTP endpoint.
            try
            {
                var fetched = await FetchOverHttpAsync(a, active, mirror, ct).ConfigureAwait(false);
                badPieces += fetched.Bad;
                if (badPieces >= 3) return FetchOutcome.Refused($"the mirror sent {badPieces} pieces that fail their SHA-1 check");
            }
            catch (RefusedException)
            {
                await DiscardAsync(sha).ConfigureAwait(false); // what the refused mirror sent is not kept (nor seeded)
                throw;
            }
        }
        log.LogInformation("Artifact {Sha} complete: {Peers} bytes from peers, {Mirror} from the mirror's seeder, {Http} over HTTP",
            sha, active.Torrent.BytesFromPeers, active.Torrent.BytesFromMirror, active.HttpBytes);
        return new FetchOutcome(active.Torrent.Store.Path, null, active.Traffic);
    }

    /// <summary>
    /// The end-to-end check before applying: the whole file against the signed SHA-256 and size. A mismatch is
    /// discarded (never seeded again) and the reason returned.
    /// </summary>
    public async Task<string?> VerifyAsync(Assignment a, string path, CancellationToken ct)
    {
        var sha = a.Sha256.ToLowerInvariant();
        var size = new FileInfo(path).Length;
        string actual;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true))
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct).ConfigureAwait(false));
        string? problem = null;
        if (size != a.SizeBytes) problem = $"the artifact is {size} bytes, not the signed {a.SizeBytes}";
        else if (actual != sha) problem = $"hash mismatch refused: the artifact hashes to sha256 {actual}, not the signed {sha} (arbitrary software)";
        if (problem is not null) await DiscardAsync(sha).ConfigureAwait(false);
        return problem;
    }

    private async Task<(int Got, int Bad)> FetchOverHttpAsync(Assignment a, Active active, MirrorFallback mirror, CancellationToken ct)
    {
        var reserved = new List<int>();
        while (reserved.Count < HttpPiecesAtOnce && active.Torrent.TryReserve(out var index)) reserved.Add(index);
        if (reserved.Count == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct).ConfigureAwait(false);
            return (0, 0);
        }
        var results = await Task.WhenAll(reserved.Select(async index =>
        {
            try
            {
                var data = await mirror.FetchPieceAsync(a.ArtifactId, active.Torrent.Meta, index, ct).ConfigureAwait(false);
                active.AddHttp(data.Length);
                return active.Torrent.AddPiece(index, data) ? 1 : -1;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                active.Torrent.Release(index);
                log.LogWarning("Mirror fallback for piece {Index} failed: {Error}", index, e.Message);
                return 0;
            }
            catch
            {
                active.Torrent.Release(index);
                throw;
            }
        })).ConfigureAwait(false);
        if (results.All(r => r == 0)) await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
        return (results.Count(r => r == 1), results.Count(r => r == -1));
    }

    private async Task<byte[]> GetTorrentAsync(Assignment a, CancellationToken ct)
    {
        var node = http.CreateClient("node");
        while (true)
        {
            string problem;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                using var response = await node.GetAsync($"api/v1/artifacts/{Uri.EscapeDataString(a.ArtifactId)}/torrent", HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    // Announced or found while reading (no Content-Length): refused either way, never read whole into memory
                    // nor asked for again (the same node would serve the same torrent).
                    if (response.Content.Headers.ContentLength > MaxTorrentBytes ||
                        await ReadAtMostAsync(response.Content, MaxTorrentBytes, timeout.Token).ConfigureAwait(false) is not { } bytes)
                        throw new RefusedException($"the node's torrent is larger than {MaxTorrentBytes} bytes");
                    return bytes;
                }
                else problem = $"HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false)}";
            }
            catch (HttpRequestException e) { problem = e.Message; }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { problem = "no answer within 15 s"; }
            // The mirror may not hold the artifact yet (it crosses from Earth at the lowest priority): ask again.
            log.LogWarning("Torrent for {Artifact} not available yet: {Problem}", a.ArtifactId, problem);
            await Task.Delay(TimeSpan.FromSeconds(2), time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The body of <paramref name="content"/>, or null as soon as it goes past <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(HttpContent content, int max, CancellationToken ct)
    {
        var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = new byte[81_920];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > max) return null;
                body.Write(buffer, 0, read);
            }
            return body.ToArray();
        }
    }

    /// <summary>The torrent for <paramref name="sha"/> running (seeding what it holds), replacing any other artifact kept before.</summary>
    private async Task<Active> ActivateAsync(string sha, Metainfo meta, byte[] torrentBytes)
    {
        if (_active is { } current && current.Sha == sha && current.Torrent.Meta.InfoHash.AsSpan().SequenceEqual(meta.InfoHash)) return current;
        if (_active is not null) await StopActiveAsync(deleteFiles: _active.Sha != sha).ConfigureAwait(false);
        var path = Path.Combine(Folder, sha);
        await File.WriteAllBytesAsync(path + ".torrent", torrentBytes).ConfigureAwait(false);
        var store = PieceStore.OpenPartial(meta, path);
        if (store.HeldCount > 0) log.LogInformation("Resuming {Sha}: {Held} of {Pieces} pieces already held", sha, store.HeldCount, meta.PieceCount);
        var torrent = new SwarmTorrent(meta, store, new SwarmTorrentOptions { PeerId = _peerId, MaxPeers = 80 }, time, log);
        var announcer = meta.Announce is { } url
            ? new SwarmAnnouncer(torrent, new TrackerClient(http.CreateClient("tracker")), url, _listener!.Endpoint.Port, options.Site, TimeSpan.FromSeconds(30), time, log)
            : null;
        _active = new Active(sha, torrent, announcer);
        return _active;
    }

    /// <summary>After a restart: seed the artifact kept from before, if it is whole.</summary>
    private async Task ResumeSeedingAsync()
    {
        foreach (var torrentFile in Directory.EnumerateFiles(Folder, "*.torrent").OrderByDescending(File.GetLastWriteTimeUtc))
        {
            var sha = Path.GetFileNameWithoutExtension(torrentFile);
            try
            {
                var bytes = await File.ReadAllBytesAsync(torrentFile).ConfigureAwait(false);
                var meta = Metainfo.Parse(bytes);
                var active = await ActivateAsync(sha, meta, bytes).ConfigureAwait(false);
                log.LogInformation("Kept artifact {Sha}: {Held}/{Pieces} pieces, {State}", sha, active.Torrent.Store.HeldCount, meta.PieceCount,
                    active.Torrent.IsComplete ? "seeding" : "partial (the next assignment resumes it)");
                return;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                log.LogWarning("Kept torrent {File} unusable: {Error}", torrentFile, e.Message);
            }
        }
    }

    private async Task DiscardAsync(string sha)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_active?.Sha == sha) await StopActiveAsync(deleteFiles: true).ConfigureAwait(false);
            else DeleteFiles(sha);
        }
        finally { _gate.Release(); }
    }

    private async Task StopActiveAsync(bool deleteFiles)
    {
        var a = _active!;
        _active = null;
        _past += a.Traffic;
        if (a.Announcer is not null) await a.Announcer.DisposeAsync().ConfigureAwait(false);
        await a.Torrent.DisposeAsync().ConfigureAwait(false);
        a.Torrent.Store.Dispose();
        if (deleteFiles) DeleteFiles(a.Sha);
    }

    private void DeleteFiles(string sha)
    {
        foreach (var suffix in new[] { "", ".pieces", ".torrent" })
        {
            var f = Path.Combine(Folder, sha + suffix);
            if (File.Exists(f)) File.Delete(f);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_active is not null) await StopActiveAsync(deleteFiles: false).ConfigureAwait(false);
        if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
        _listener = null;
    }

    private sealed class Active(string sha, SwarmTorrent torrent, SwarmAnnouncer? announcer)
    {
        private long _http;
        public string Sha => sha;
        public SwarmTorrent Torrent => torrent;
        public SwarmAnnouncer? Announcer => announcer;
        public long HttpBytes => Interlocked.Read(ref _http);
        public void AddHttp(long bytes) => Interlocked.Add(ref _http, bytes);
        public ArtifactTraffic Traffic => new(torrent.BytesFromPeers, torrent.BytesFromMirror + HttpBytes, HttpBytes, torrent.BytesUploaded);
    }
}
