using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Timing;

/// <summary>
/// A one-shot timer on the injected clock that can be armed again: <see cref="Schedule"/> replaces any firing still
/// pending, <see cref="Cancel"/> drops it. It stays <see cref="IsPending"/> after firing until its owner cancels it
/// (the action usually does, first thing), so "schedule only if none is pending" keeps working. Not thread-safe on
/// its own: owners call it under their lock, as the sync engine and the artifact transfer do.
/// <para>
/// Failure policy: an exception thrown by the action is <b>contained</b>. It is logged as an error (when the owner gave a
/// logger), counted in <see cref="Failures"/> and kept as <see cref="LastFailure"/>, and never rethrown on the timer's
/// thread, where on the system clock it would end the whole process (every link session, every agent's long poll) and on
/// a fake clock it would surface in whoever advanced time. The owners are retry machinery (pushes, acknowledgements,
/// retransmissions, stalls) whose next event or next firing recovers, which a process restart would only delay. The timer
/// is left as the action left it: an action cancels it first thing (every owner's does), so a failed firing can be
/// scheduled again; nothing re-arms it by itself.
/// </para>
/// </summary>
public sealed class OneShotTimer(TimeProvider time, Action action, ILogger? log = null, string? name = null) : IDisposable
{
    private ITimer? _timer;
    private int _failures;

    public bool IsPending => _timer is not null;

    /// <summary>Firings whose action threw (contained, see the failure policy above).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>The last exception an action threw, or null.</summary>
    public Exception? LastFailure { get; private set; }

    public void Schedule(TimeSpan due)
    {
        _timer?.Dispose();
        _timer = time.CreateTimer(_ => Fire(), null, due, Timeout.InfiniteTimeSpan);
    }

    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private void Fire()
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failures);
            LastFailure = ex;
            log?.LogError(ex, "The {Timer} timer's action failed; contained (the process goes on, the timer fires again once re-armed)", name ?? "one-shot");
        }
    }

    public void Dispose() => Cancel();
}
