using System.Numerics;

namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>Where a downloading agent gets its next piece: sources in order of preference, and the rarest-first pick.</summary>
public sealed partial class LanSwarm
{
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
}
