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

    /// <summary>True while the scheduling loop runs (readiness).</summary>
    public bool Running => _loop is { IsCompleted: false };

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
                if (started > 0) _log.LogInformation("Executor started {Count} server(s)", started);
                await _wake.WaitAsync(_options.TickInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // A failed pass must not stop the executor: log it and try again on the next tick.
                _log.LogError(ex, "Scheduling pass failed");
                try { await Task.Delay(_options.TickInterval, _time, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
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
