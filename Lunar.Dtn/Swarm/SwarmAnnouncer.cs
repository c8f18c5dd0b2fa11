using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Swarm;

/// <summary>
/// Keeps one torrent announced to its tracker (started, then every interval, completed once, stopped on dispose) and
/// dials the peers the tracker lists, in its order (the node's tracker lists our own site first), up to the peer limit.
/// </summary>
public sealed class SwarmAnnouncer : IAsyncDisposable
{
    private readonly SwarmTorrent _torrent;
    private readonly TrackerClient _tracker;
    private readonly string _announce;
    private readonly int _port;
    private readonly string? _extra;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TimeSpan _maxInterval;

    public SwarmAnnouncer(SwarmTorrent torrent, TrackerClient tracker, string announce, int port, string? site, TimeSpan maxInterval, TimeProvider time, ILogger log)
    {
        _torrent = torrent;
        _tracker = tracker;
        _announce = announce;
        _port = port;
        _extra = string.IsNullOrEmpty(site) ? null : "site=" + Uri.EscapeDataString(site);
        _maxInterval = maxInterval;
        _time = time;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The tracker's last failure reason, if its last answer was one.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Peers the tracker listed in its last answer.</summary>
    public int LastPeerCount { get; private set; }

    /// <summary>Announces answered so far (failures included).</summary>
    public int Answers { get; private set; }

    private async Task LoopAsync()
    {
        string? ev = "started";
        var wasComplete = _torrent.IsComplete;
        while (!_stop.IsCancellationRequested)
        {
            if (!wasComplete && _torrent.IsComplete) { ev = "completed"; wasComplete = true; }
            var left = _torrent.Meta.Length - _torrent.Store.HeldBytes;
            var answer = await _tracker.AnnounceAsync(_announce, _torrent.Meta.InfoHash, _torrent.PeerId, _port, _torrent.BytesUploaded,
                _torrent.BytesFromPeers + _torrent.BytesFromMirror, left, ev, _extra, _stop.Token).ConfigureAwait(false);
            var interval = _maxInterval;
            Answers++;
            if (answer.Failure is not null)
            {
                LastFailure = answer.Failure;
                _log.LogWarning("Tracker {Announce}: {Failure}", _announce, answer.Failure);
            }
            else
            {
                ev = null;
                LastFailure = null;
                LastPeerCount = answer.Peers.Count;
                if (answer.IntervalSeconds > 0 && TimeSpan.FromSeconds(answer.IntervalSeconds) < interval) interval = TimeSpan.FromSeconds(answer.IntervalSeconds);
                foreach (var peer in answer.Peers)
                {
                    if (_torrent.PeerCount >= _torrent.MaxPeers) break;
                    if (_torrent.IsConnected(peer)) continue;
                    var p = peer;
                    _torrent.Track(ct => _torrent.DialAsync(p, ct));
                }
            }
            // Wake early when the download completes, so the tracker hears "completed" at once.
            try { await Task.WhenAny(Task.Delay(interval, _time, _stop.Token), wasComplete ? Task.Delay(Timeout.Infinite, _stop.Token) : _torrent.Completion).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _tracker.AnnounceAsync(_announce, _torrent.Meta.InfoHash, _torrent.PeerId, _port, _torrent.BytesUploaded,
            _torrent.BytesFromPeers + _torrent.BytesFromMirror, _torrent.Meta.Length - _torrent.Store.HeldBytes, "stopped", _extra, stopped.Token)
            .ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _stop.Dispose();
    }
}
