namespace Lunar.Dtn.Timing;

/// <summary>
/// A one-shot timer on the injected clock that can be armed again: <see cref="Schedule"/> replaces any firing still
/// pending, <see cref="Cancel"/> drops it. It stays <see cref="IsPending"/> after firing until its owner cancels it
/// (the action usually does, first thing), so "schedule only if none is pending" keeps working. Not thread-safe on
/// its own: owners call it under their lock, as the sync engine and the artifact transfer do.
/// </summary>
public sealed class OneShotTimer(TimeProvider time, Action action) : IDisposable
{
    private ITimer? _timer;

    public bool IsPending => _timer is not null;

    public void Schedule(TimeSpan due)
    {
        _timer?.Dispose();
        _timer = time.CreateTimer(_ => action(), null, due, Timeout.InfiniteTimeSpan);
    }

    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }

    public void Dispose() => Cancel();
}
