namespace Lunar.Dtn.Crdt;

/// <summary>
/// Hybrid logical clock (Kulkarni et al.): close to physical time, yet never goes backwards and always
/// orders a receive after the send it observed, whatever the two machines' clocks say.
/// Time comes from the injected <see cref="TimeProvider"/>, so the simulator drives it.
/// </summary>
public sealed class HybridLogicalClock
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private HlcTimestamp _last;

    public HybridLogicalClock(TimeProvider time, HlcTimestamp last = default)
    {
        _time = time;
        _last = last;
    }

    public HlcTimestamp Last { get { lock (_gate) return _last; } }

    /// <summary>A timestamp for a local event, greater than every timestamp seen so far.</summary>
    public HlcTimestamp Now()
    {
        lock (_gate)
        {
            var wall = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _last = wall > _last.WallMs ? HlcTimestamp.From(wall, 0) : Bump(_last);
            return _last;
        }
    }

    /// <summary>Moves the clock past a timestamp received from another replica.</summary>
    public void Observe(HlcTimestamp remote)
    {
        lock (_gate)
        {
            if (remote > _last) _last = remote;
        }
    }

    private static HlcTimestamp Bump(HlcTimestamp t) =>
        t.Counter < 0xFFFF ? HlcTimestamp.From(t.WallMs, t.Counter + 1) : HlcTimestamp.From(t.WallMs + 1, 0);
}
