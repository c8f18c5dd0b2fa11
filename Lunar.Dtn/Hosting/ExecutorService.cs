using Lunar.Dtn.Orchestration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Drives the executor on a node that executes (Moon, Tier 1): a scheduling pass every tick, and at once
/// whenever a report or an operator's change may have freed or allowed work.
/// </summary>
public sealed class ExecutorService : IHostedService, IDisposable
{
    private readonly Executor _executor;
    private readonly ExecutorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecutorService> _log;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ExecutorService(Executor executor, ExecutorOptions options, Lunar.Dtn.Replication.Replica replica, TimeProvider time, ILogger<ExecutorService> log)
    {
        _executor = executor;
        _options = options;
        _time = time;
        _log = log;
        replica.Changed += Wake;
    }

    private volatile string? _failure;
    private int _failures;

    /// <summary>True while the scheduling loop runs.</summary>
    public bool Running => _loop is { IsCompleted: false };

    /// <summary>
    /// Why the last scheduling pass failed, or null when it succeeded. A node whose passes fail schedules nothing, so it
    /// must not answer as ready (a failed store commit fails every pass until the node is restarted).
    /// </summary>
    public string? LastFailure => _failure;

    /// <summary>Ready: the loop runs and its last pass succeeded.</summary>
    public bool Healthy => Running && _failure is null;

    /// <summary>The readiness check's words: running, failing (and why), or stopped.</summary>
    public string Health => !Running ? "stopped" : _failure is { } f ? $"failing: {f}" : "running";

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var started = _executor.Tick();
                Succeeded();
                if (started > 0) _log.LogInformation("Executor started {Count} server(s)", started);
                await _wake.WaitAsync(_options.TickInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                // Whatever a pass throws (a LiteDB exception from the store, a listener's bug) must not end the loop silently:
                // log it, report the node not ready while passes fail, and try again on the next tick.
                Failed(ex);
                try { await Task.Delay(_options.TickInterval, _time, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Failed(Exception ex)
    {
        var failure = $"{ex.GetType().Name}: {ex.Message}";
        _failures++;
        // Every tick fails the same way until the cause is gone: the first of a kind with its stack, then one line a hundred.
        if (failure != _failure) _log.LogError(ex, "Scheduling pass failed; the executor goes on and the node reports not ready meanwhile");
        else if (_failures % 100 == 0) _log.LogError("Scheduling passes still failing ({Count} in a row): {Failure}", _failures, failure);
        _failure = failure;
    }

    private void Succeeded()
    {
        if (_failure is null) return;
        _log.LogWarning("Scheduling passes succeed again after {Count} failed one(s); the last: {Failure}", _failures, _failure);
        _failure = null;
        _failures = 0;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Dispose();
        _wake.Dispose();
    }
}
