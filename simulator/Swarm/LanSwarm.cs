namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>
/// The lunar swarm at piece level, in virtual time: the mirror (the Moon node) seeds with a capped upload and super-seeds
/// (it sends only pieces no agent holds and it is not already sending); agents download pieces from peers — same site first,
/// then pieces held by agents still downloading, then other sites — and from the mirror, rarest first; an agent is done
/// when it holds every piece, and from then on seeds (it keeps the artifact). When nothing moves anywhere in the swarm and an
/// agent still lacks pieces, it fetches its rarest missing piece from the mirror's HTTP fallback (the real agent's stall rule).
/// <para>
/// An event is one piece transfer finishing. Each node's bandwidth is split into fixed slots and a piece travels at the
/// smaller of its source's and destination's slot rate, fixed when it starts (no re-sharing mid-piece). The engine keeps its
/// own event queue and is advanced by the world to the end of each step before the clock runs it (every join of that step is
/// known by then: an agent plans its download when it starts its pre-check), and hands each finished download to the clock
/// at its exact instant. Deterministic: one thread, a heap ordered by finish time, and each agent's tie-breaks drawn from
/// its own stream.
/// </para>
/// </summary>
public sealed partial class LanSwarm
{
    private const int Plenty = 4; // at or above this many holders a piece is no longer rare: the pick takes the agent's own order

    private readonly SwarmSettings _s;
    private readonly int _seed;
    private readonly int _words;
    private readonly long _mirrorSlotBps, _upSlotBps, _downSlotBps;
    private readonly int[] _availability;
    private readonly ulong[][] _levels; // _levels[k]: pieces held by exactly k agents (k < Plenty); _levels[Plenty]: by Plenty or more
    private readonly int[] _levelCount;
    private readonly ulong[] _mirrorSending;
    private readonly Dictionary<string, Agent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _siteIndex = new(StringComparer.Ordinal);
    private readonly List<List<Agent>> _seedsBySite = [];
    private readonly List<int> _seedCursor = [];
    private readonly List<Agent> _downloading = [];
    private readonly PriorityQueue<Agent, long> _joins = new();
    private readonly PriorityQueue<int, long> _events = new();
    private readonly List<Transfer> _transfers = [];
    private readonly Stack<int> _freeTransfers = new();
    private readonly List<double> _downloadSeconds = [];
    private long _now;
    private bool _mirrorReady, _mirrorUp = true, _anythingMoved;
    private long _mirrorReadyAt;
    private int _mirrorActive;
    private long _superSeedBytes, _fallbackBytes, _peerBytes, _sameSiteBytes, _maxWaitTicks;

    public LanSwarm(SwarmSettings settings, int seed, long startTicks)
    {
        _s = settings;
        _seed = seed;
        _now = startTicks;
        var pieces = settings.Pieces;
        _words = (pieces + 63) / 64;
        _availability = new int[pieces];
        _levels = Enumerable.Range(0, Plenty + 1).Select(_ => new ulong[_words]).ToArray();
        _levelCount = new int[Plenty + 1];
        for (var p = 0; p < pieces; p++) _levels[0][p >> 6] |= 1UL << (p & 63);
        _levelCount[0] = pieces;
        _mirrorSending = new ulong[_words];
        _mirrorSlotBps = Bps(settings.MirrorUploadMbps, settings.MirrorSlots);
        _upSlotBps = Bps(settings.AgentUploadMbps, settings.UploadSlots);
        _downSlotBps = Bps(settings.AgentDownloadMbps, settings.DownloadSlots);
    }

    private static long Bps(double mbps, int slots) => Math.Max(1, (long)(mbps * 1_000_000 / slots));

    private sealed class Agent(string id, int site, int startWord, int startBit)
    {
        public string Id { get; } = id;
        public int Site { get; } = site;
        public int StartWord { get; } = startWord;
        public int StartBit { get; } = startBit;
        public ulong[]? Has { get; set; }
        public ulong[]? InFlight { get; set; }
        public int Held { get; set; }
        public bool Complete { get; set; }
        public bool Downloading { get; set; }
        public int ActiveDown { get; set; }
        public int ActiveUp { get; set; }
        public int Pending { get; set; } // pieces in flight to it
        public long JoinTicks { get; set; }
        public Action<long>? OnDone { get; set; }
    }

    private struct Transfer
    {
        public Agent? Source; // null: the mirror
        public Agent Destination;
        public int Piece;
        public bool Fallback;
        public bool Live;
        public bool Cancelled;
        public int[]? Run; // a run of pieces back to back on one slot (see StartRun); Piece is its first
        public long StartTicks;
        public long Bps;
    }

    /// <summary>True once the mirror holds the whole artifact (it crossed the Earth link).</summary>
    public bool MirrorReady => _mirrorReady;

    /// <summary>
    /// Agent <paramref name="id"/> of <paramref name="site"/> starts downloading at <paramref name="atTicks"/> (not before the
    /// engine's present); <paramref name="done"/> is called with the instant it holds every piece (at once if it already does).
    /// </summary>
    public void Join(string id, string site, long atTicks, Action<long> done)
    {
        if (!_agents.TryGetValue(id, out var a))
        {
            if (!_siteIndex.TryGetValue(site, out var si))
            {
                _siteIndex[site] = si = _seedsBySite.Count;
                _seedsBySite.Add([]);
                _seedCursor.Add(0);
            }
            var r = new Random(unchecked(_seed * 7_919 + StableHash(id)));
            _agents[id] = a = new Agent(id, si, r.Next(_words), r.Next(64));
        }
        a.OnDone = done;
        _joins.Enqueue(a, Math.Max(atTicks, _now));
    }

    /// <summary>Runs every piece transfer and join up to <paramref name="ticks"/>.</summary>
    public void AdvanceTo(long ticks)
    {
        while (true)
        {
            var nextJoin = _joins.TryPeek(out _, out var jt) ? jt : long.MaxValue;
            var nextEnd = NextEventTicks();
            var next = Math.Min(nextJoin, nextEnd);
            if (next > ticks) break;
            _now = Math.Max(_now, next);
            if (nextJoin <= nextEnd) StartDownload(_joins.Dequeue());
            else Finish(_events.Dequeue());
        }
        _now = Math.Max(_now, ticks);
    }

    private long NextEventTicks()
    {
        while (_events.TryPeek(out var t, out var end))
        {
            if (!_transfers[t].Cancelled) return end;
            _events.Dequeue();
            _freeTransfers.Push(t);
        }
        return long.MaxValue;
    }

    /// <summary>
    /// The mirror has held the artifact since <paramref name="atTicks"/>, which may lie before the engine's present (it heard
    /// during the step it had already run). Nothing can have moved before the first copy existed, so the engine steps back:
    /// downloads that joined after that instant join again at their own time, then it runs to where it was.
    /// </summary>
    public void MirrorHolds(long atTicks)
    {
        if (_mirrorReady) return;
        var horizon = _now;
        if (atTicks < _now)
        {
            if (_anythingMoved) throw new InvalidOperationException("pieces moved before the mirror held the artifact");
            foreach (var a in _downloading.Where(a => a.JoinTicks > atTicks).ToArray())
            {
                _downloading.Remove(a);
                a.Downloading = false;
                _joins.Enqueue(a, a.JoinTicks);
            }
            _now = atTicks;
        }
        _mirrorReady = true;
        _mirrorReadyAt = _now;
        foreach (var a in _downloading.ToArray())
        {
            _maxWaitTicks = Math.Max(_maxWaitTicks, _now - a.JoinTicks);
            Fill(a);
        }
        AdvanceTo(horizon);
    }

    /// <summary>The Moon node went down (its seeder and HTTP fallback with it: pieces in flight from it are lost) or came back.</summary>
    public void MirrorUp(bool up)
    {
        if (_mirrorUp == up) return;
        _mirrorUp = up;
        if (!up)
        {
            for (var t = 0; t < _transfers.Count; t++)
            {
                var x = _transfers[t];
                if (x.Source is not null || !x.Live) continue;
                x.Cancelled = true;
                x.Live = false;
                _live--;
                _transfers[t] = x;
                Release(x);
            }
            return;
        }
        foreach (var a in _downloading.ToArray()) Fill(a);
    }

    private void StartDownload(Agent a)
    {
        if (a.Complete) { Done(a, wasDownloading: false); return; }
        if (a.Downloading) return;
        // Someone else now wants pieces: a lone download's runs become single pieces again, so what it holds is exact.
        if (_runs.Count > 0) Materialise();
        a.Downloading = true;
        a.JoinTicks = _now;
        a.Has ??= new ulong[_words];
        a.InFlight = new ulong[_words];
        _downloading.Add(a);
        if (!_mirrorReady) return;
        Fill(a);
        // Runs turned back into pieces may have left slots free.
        for (var i = 0; i < _downloading.Count; i++) if (_downloading[i] != a) Fill(_downloading[i]);
    }

    private void Done(Agent a, bool wasDownloading)
    {
        if (wasDownloading)
        {
            a.Downloading = false;
            a.Complete = true;
            a.Has = null;
            a.InFlight = null;
            _downloading.Remove(a);
            _seedsBySite[a.Site].Add(a);
            _downloadSeconds.Add(TimeSpan.FromTicks(_now - a.JoinTicks).TotalSeconds);
        }
        var done = a.OnDone;
        a.OnDone = null;
        done?.Invoke(_now);
    }

    public SwarmFigures Figures() => new(_superSeedBytes, _fallbackBytes, _peerBytes, _sameSiteBytes, _downloadSeconds.Count,
        _downloadSeconds.Count == 0 ? 0 : Math.Round(_downloadSeconds.Average(), 3), _downloadSeconds.Count == 0 ? 0 : Math.Round(_downloadSeconds.Max(), 3),
        Math.Round(TimeSpan.FromTicks(_maxWaitTicks).TotalSeconds, 3), _s.Pieces, _s.PieceBytes);

    /// <summary>When the mirror came to hold the artifact (engine ticks), or null.</summary>
    public long? MirrorReadyTicks => _mirrorReady ? _mirrorReadyAt : null;

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }
}
