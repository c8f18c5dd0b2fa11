namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// The simulator's one clock: a discrete-event time source. <see cref="Advance"/> runs every timer due before the
/// target in due-time order, with the clock set to each timer's own due time while its callback runs, including
/// timers those callbacks create. (A fake clock that jumps straight to the target and then fires what is due
/// would stamp every event with the end of the step, and a 1.28 s light time would take a whole step.)
/// Single-threaded by design: determinism comes from one thread and one ordering of (due time, creation order).
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly SortedSet<VirtualTimer> _due = new(VirtualTimer.Order);
    private long _nowTicks;
    private long _created;

    public VirtualClock(DateTimeOffset start) => _nowTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(_nowTicks, TimeSpan.Zero);

    public override long GetTimestamp() => _nowTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new VirtualTimer(this, callback, state, dueTime, period, ++_created);

    /// <summary>Runs every timer due up to now + <paramref name="delta"/>, in order, then sets the clock there.</summary>
    public void Advance(TimeSpan delta)
    {
        var target = _nowTicks + delta.Ticks;
        while (_due.Count > 0 && _due.Min!.DueTicks <= target)
        {
            var timer = _due.Min!;
            _due.Remove(timer);
            _nowTicks = Math.Max(_nowTicks, timer.DueTicks);
            timer.Fire();
        }
        _nowTicks = target;
    }

    internal void Schedule(VirtualTimer timer) => _due.Add(timer);

    internal void Unschedule(VirtualTimer timer) => _due.Remove(timer);

    internal long Now => _nowTicks;

    internal sealed class VirtualTimer : ITimer
    {
        public static readonly IComparer<VirtualTimer> Order = Comparer<VirtualTimer>.Create((a, b) =>
            a.DueTicks != b.DueTicks ? a.DueTicks.CompareTo(b.DueTicks) : a._id.CompareTo(b._id));

        private readonly VirtualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly long _id;
        private long _periodTicks;
        private bool _scheduled;

        public VirtualTimer(VirtualClock clock, TimerCallback callback, object? state, TimeSpan due, TimeSpan period, long id)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _id = id;
            Change(due, period);
        }

        public long DueTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_scheduled) { _clock.Unschedule(this); _scheduled = false; }
            _periodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            if (dueTime == Timeout.InfiniteTimeSpan) return true;
            DueTicks = _clock.Now + Math.Max(0, dueTime.Ticks);
            _clock.Schedule(this);
            _scheduled = true;
            return true;
        }

        public void Fire()
        {
            _scheduled = false;
            if (_periodTicks > 0)
            {
                DueTicks += _periodTicks;
                _clock.Schedule(this);
                _scheduled = true;
            }
            _callback(_state);
        }

        public void Dispose()
        {
            if (_scheduled) _clock.Unschedule(this);
            _scheduled = false;
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
