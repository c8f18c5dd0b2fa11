namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>Runs: a lone download takes its pieces one event per slot instead of one per piece.</summary>
public sealed partial class LanSwarm
{
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
}
