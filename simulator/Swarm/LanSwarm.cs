using System.Numerics;

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
public sealed class LanSwarm
{
    private const int Plenty = 4; // at or above this many holders a piece is no longer rare: the pick takes the agent's own order
    private const int Mirror = -1;

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

    /// <summary>Starts pieces for <paramref name="d"/> until its slots are full or no source can give it anything.</summary>
    private void Fill(Agent d)
    {
        while (d.Downloading && d.ActiveDown < _s.DownloadSlots && TryStart(d)) { }
    }

    private bool TryStart(Agent d)
    {
        if (!_mirrorReady) return false;
        // Same-site seeds, then same-site agents still downloading, then other sites; then the mirror.
        if (FromSeed(d, d.Site)) return true;
        if (FromPartial(d, sameSite: true)) return true;
        for (var s = 0; s < _seedsBySite.Count; s++)
            if (s != d.Site && FromSeed(d, s)) return true;
        if (FromPartial(d, sameSite: false)) return true;
        if (!_mirrorUp || _mirrorActive >= _s.MirrorSlots) return false;
        var piece = Pick(d, null, superSeed: true);
        if (piece >= 0) { Start(null, d, piece, fallback: false); return true; }
        if (d.ActiveDown > 0 || _live > 0) return false;
        piece = Pick(d, null, superSeed: false);
        if (piece < 0) return false;
        Start(null, d, piece, fallback: true);
        return true;
    }

    private bool FromSeed(Agent d, int site)
    {
        var seeds = _seedsBySite[site];
        if (seeds.Count == 0) return false;
        var cursor = _seedCursor[site];
        for (var i = 0; i < seeds.Count; i++)
        {
            var s = seeds[(cursor + i) % seeds.Count];
            if (s.ActiveUp >= _s.UploadSlots) continue;
            if (Lone(d))
            {
                if (!StartRun(s, d)) return false;
                _seedCursor[site] = (cursor + i + 1) % seeds.Count;
                return true;
            }
            var piece = Pick(d, null, superSeed: false);
            if (piece < 0) return false;
            _seedCursor[site] = (cursor + i + 1) % seeds.Count;
            Start(s, d, piece, fallback: false);
            return true;
        }
        return false;
    }

    private bool FromPartial(Agent d, bool sameSite)
    {
        foreach (var h in _downloading)
        {
            if (h == d || h.Held == 0 || h.ActiveUp >= _s.UploadSlots || (h.Site == d.Site) != sameSite) continue;
            var piece = Pick(d, h.Has, superSeed: false);
            if (piece < 0) continue;
            Start(h, d, piece, fallback: false);
            return true;
        }
        return false;
    }

    /// <summary>
    /// The rarest piece <paramref name="d"/> lacks and is not fetching that the source holds (<paramref name="sourceHas"/>; null:
    /// everything), ties broken in <paramref name="d"/>'s own order; for the super-seeder only pieces no agent holds and it is
    /// not already sending. -1 when there is none.
    /// </summary>
    private int Pick(Agent d, ulong[]? sourceHas, bool superSeed)
    {
        var has = d.Has!;
        var inFlight = d.InFlight!;
        for (var level = 0; level <= Plenty; level++)
        {
            if (superSeed && level > 0) break;
            if (_levelCount[level] == 0) continue;
            var mask = _levels[level];
            for (var i = 0; i < _words; i++)
            {
                var w = d.StartWord + i;
                if (w >= _words) w -= _words;
                var m = mask[w] & ~has[w] & ~inFlight[w];
                if (sourceHas is not null) m &= sourceHas[w];
                if (superSeed) m &= ~_mirrorSending[w];
                if (m == 0) continue;
                var rotated = BitOperations.RotateRight(m, d.StartBit);
                return w * 64 + ((BitOperations.TrailingZeroCount(rotated) + d.StartBit) & 63);
            }
        }
        return -1;
    }

    private void Start(Agent? source, Agent d, int piece, bool fallback)
    {
        var bps = Math.Min(source is null ? _mirrorSlotBps : _upSlotBps, _downSlotBps);
        var id = Add(new Transfer { Source = source, Destination = d, Piece = piece, Fallback = fallback, Live = true, StartTicks = _now, Bps = bps });
        d.ActiveDown++;
        d.Pending++;
        d.InFlight![piece >> 6] |= 1UL << (piece & 63);
        if (source is null)
        {
            _mirrorActive++;
            _mirrorSending[piece >> 6] |= 1UL << (piece & 63);
        }
        else source.ActiveUp++;
        _events.Enqueue(id, _now + PieceTicks(piece, bps));
    }

    private long PieceTicks(int piece, long bps) => Math.Max(1, (long)Math.Ceiling(_s.PieceLength(piece) * 8.0 * TimeSpan.TicksPerSecond / bps));

    // Transfers (single pieces and runs) in flight anywhere: with none, nobody can give a waiting agent anything but the mirror.
    private int _live;

    private int Add(Transfer x)
    {
        _live++;
        if (_freeTransfers.TryPop(out var id)) _transfers[id] = x;
        else { id = _transfers.Count; _transfers.Add(x); }
        return id;
    }

    // Live runs (transfer ids). A lone download (nobody else downloading, every piece common) takes its pieces in runs: one
    // event per slot instead of one per piece. Nothing observable differs: its pieces come from whole seeds in its own order
    // at a fixed slot rate either way, and nobody could ask it for a piece meanwhile; the moment someone joins, Materialise
    // turns each run back into what per-piece events would have left (pieces done, the one in progress, the rest unclaimed).
    private readonly List<int> _runs = [];

    private bool Lone(Agent d) => _downloading.Count == 1 && _levelCount[Plenty] == _s.Pieces;

    /// <summary>Claims this slot's share of <paramref name="d"/>'s missing pieces from seed <paramref name="s"/>, back to back.</summary>
    private bool StartRun(Agent s, Agent d)
    {
        // A slot's share: what is left over all the slots (those still busy with a piece will want theirs when it is done).
        var available = _s.Pieces - d.Held - d.Pending;
        if (available <= 0) return false;
        var take = (available + _s.DownloadSlots - 1) / _s.DownloadSlots;
        var pieces = new int[take];
        var bps = Math.Min(_upSlotBps, _downSlotBps);
        long ticks = 0;
        for (var i = 0; i < take; i++)
        {
            var p = Pick(d, null, superSeed: false);
            pieces[i] = p;
            d.InFlight![p >> 6] |= 1UL << (p & 63);
            ticks += PieceTicks(p, bps);
        }
        var id = Add(new Transfer { Source = s, Destination = d, Piece = pieces[0], Live = true, Run = pieces, StartTicks = _now, Bps = bps });
        d.ActiveDown++;
        d.Pending += take;
        s.ActiveUp++;
        _runs.Add(id);
        _events.Enqueue(id, _now + ticks);
        return true;
    }

    /// <summary>Turns every run into its pieces done by now, the piece in progress (finishing when it would), and the rest unclaimed.</summary>
    private void Materialise()
    {
        foreach (var id in _runs.ToArray())
        {
            _runs.Remove(id);
            var x = _transfers[id];
            x.Cancelled = true;
            x.Live = false;
            _live--;
            _transfers[id] = x;
            var d = x.Destination;
            var run = x.Run!;
            var t = x.StartTicks;
            var k = 0;
            for (; k < run.Length; k++)
            {
                var end = t + PieceTicks(run[k], x.Bps);
                if (end > _now) break;
                Receive(x.Source, d, run[k], fallback: false);
                t = end;
            }
            if (k == run.Length)
            {
                d.ActiveDown--;
                x.Source!.ActiveUp--;
                if (d.Held == _s.Pieces) Done(d, wasDownloading: true);
                continue;
            }
            for (var j = k + 1; j < run.Length; j++)
            {
                d.InFlight![run[j] >> 6] &= ~(1UL << (run[j] & 63));
                d.Pending--;
            }
            // The piece in progress carries on as a single transfer holding the run's slots.
            var single = Add(new Transfer { Source = x.Source, Destination = d, Piece = run[k], Live = true, StartTicks = t, Bps = x.Bps });
            _events.Enqueue(single, t + PieceTicks(run[k], x.Bps));
        }
    }

    /// <summary><paramref name="d"/> now holds <paramref name="piece"/>: counted by source, and one more holder of it.</summary>
    private void Receive(Agent? source, Agent d, int piece, bool fallback)
    {
        var bytes = _s.PieceLength(piece);
        _anythingMoved = true;
        if (source is null) { if (fallback) _fallbackBytes += bytes; else _superSeedBytes += bytes; }
        else
        {
            _peerBytes += bytes;
            if (source.Site == d.Site) _sameSiteBytes += bytes;
        }
        d.InFlight![piece >> 6] &= ~(1UL << (piece & 63));
        d.Pending--;
        d.Has![piece >> 6] |= 1UL << (piece & 63);
        d.Held++;
        Raise(piece);
    }

    /// <summary>Frees the slots a single-piece transfer held (it was cut: the mirror went down).</summary>
    private void Release(Transfer x)
    {
        var d = x.Destination;
        d.ActiveDown--;
        d.Pending--;
        if (d.InFlight is { } f) f[x.Piece >> 6] &= ~(1UL << (x.Piece & 63));
        if (x.Source is null)
        {
            _mirrorActive--;
            _mirrorSending[x.Piece >> 6] &= ~(1UL << (x.Piece & 63));
        }
        else x.Source.ActiveUp--;
    }

    private void Finish(int id)
    {
        var x = _transfers[id];
        x.Live = false;
        _live--;
        _transfers[id] = x;
        _freeTransfers.Push(id);
        var d = x.Destination;
        if (x.Run is { } run)
        {
            _runs.Remove(id);
            foreach (var p in run) Receive(x.Source, d, p, fallback: false);
        }
        else Receive(x.Source, d, x.Piece, x.Fallback);
        d.ActiveDown--;
        if (x.Source is null)
        {
            _mirrorActive--;
            _mirrorSending[x.Piece >> 6] &= ~(1UL << (x.Piece & 63));
        }
        else x.Source.ActiveUp--;
        if (d.Held == _s.Pieces) Done(d, wasDownloading: true);
        else Fill(d);
        // Only two things changed for the others: the source has a free slot, and the destination holds a new piece.
        Offer(x.Source);
        Offer(d);
    }

    /// <summary>Gives <paramref name="source"/>'s free slots (null: the mirror's) to downloads waiting for pieces, earliest first.</summary>
    private void Offer(Agent? source)
    {
        for (var i = 0; i < _downloading.Count; i++)
        {
            var w = _downloading[i];
            if (w == source || w.ActiveDown >= _s.DownloadSlots) continue;
            if (source is null)
            {
                if (!_mirrorUp || !_mirrorReady || _mirrorActive >= _s.MirrorSlots) return;
                var piece = Pick(w, null, superSeed: true);
                var fallback = piece < 0 && w.ActiveDown == 0 && _live == 0;
                if (fallback) piece = Pick(w, null, superSeed: false);
                if (piece >= 0) Start(null, w, piece, fallback);
            }
            else
            {
                if (source.ActiveUp >= _s.UploadSlots || (!source.Complete && source.Held == 0)) return;
                var piece = Pick(w, source.Complete ? null : source.Has, superSeed: false);
                if (piece >= 0) Start(source, w, piece, fallback: false);
            }
        }
    }

    /// <summary>One more agent holds <paramref name="piece"/>: it moves up a rarity level.</summary>
    private void Raise(int piece)
    {
        var k = _availability[piece]++;
        if (k >= Plenty) return;
        var bit = 1UL << (piece & 63);
        _levels[k][piece >> 6] &= ~bit;
        _levelCount[k]--;
        _levels[k + 1][piece >> 6] |= bit;
        _levelCount[k + 1]++;
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
