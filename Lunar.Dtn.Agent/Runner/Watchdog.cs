namespace Lunar.Dtn.Agent.Runner;

/// <summary>
/// Watches the attempt in progress for the node's verdict (a 409 saying, say, "timed-out"), which can come back on any
/// report while a step runs: it then cancels the step at once (killing its hook) so the rollback starts without delay.
/// Also does the deadline arithmetic: a rollback gets what is left of Agent:RollbackDeadlineSeconds since the failure.
/// </summary>
public sealed class Watchdog(TimeProvider time, TimeSpan rollbackDeadline)
{
    /// <summary>Even a late rollback gets this long rather than none (e.g. one resumed after a restart).</summary>
    private static readonly TimeSpan MinimumRollback = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private string? _key;
    private CancellationTokenSource? _stop;
    private NodeVerdict? _verdict;

    /// <summary>Starts watching <paramref name="attemptKey"/>; the token is cancelled when the node's verdict on it arrives.</summary>
    public CancellationToken Arm(string attemptKey)
    {
        lock (_gate)
        {
            _stop?.Dispose();
            _stop = new CancellationTokenSource();
            _key = attemptKey;
            _verdict = null;
            return _stop.Token;
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _stop?.Dispose();
            _stop = null;
            _key = null;
            _verdict = null;
        }
    }

    /// <summary>Called by the outbox on a 409. A verdict on another attempt than the watched one changes nothing.</summary>
    public bool NodeSaid(NodeVerdict verdict)
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            if (verdict.AttemptKey != _key) return false;
            _verdict ??= verdict;
            stop = _stop;
        }
        stop?.Cancel();
        return true;
    }

    /// <summary>The verdict not yet acted on, if any; taking it clears it.</summary>
    public NodeVerdict? TakeVerdict()
    {
        lock (_gate)
        {
            var v = _verdict;
            _verdict = null;
            return v;
        }
    }

    public long FailureClock() => time.GetTimestamp();

    /// <summary>What is left of the rollback deadline for a failure detected at <paramref name="failedAt"/>.</summary>
    public TimeSpan RollbackBudget(long failedAt)
    {
        var left = rollbackDeadline - time.GetElapsedTime(failedAt);
        return left > MinimumRollback ? left : MinimumRollback;
    }
}
