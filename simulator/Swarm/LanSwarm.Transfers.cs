namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>Piece transfers: starting one on a slot, finishing it, and what a finished piece changes.</summary>
public sealed partial class LanSwarm
{
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
}
