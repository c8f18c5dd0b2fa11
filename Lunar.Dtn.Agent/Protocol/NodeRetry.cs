using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Lunar.Dtn.Agent.Protocol;

/// <summary>
/// Retries toward the node: exponential backoff with jitter, without end, for answers that say "try again"
/// (no answer, 5xx, 429) — so an agent rides out a Moon node restart. A 4xx is an answer and is never retried.
/// </summary>
public static class NodeRetry
{
    /// <summary>First retry delay; doubles (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap: a node back from a restart hears from every agent within this long.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    public static ResiliencePipeline<ReportAnswer> ForReports(TimeProvider time, ILogger log, Action? onRetry = null) =>
        Build<ReportAnswer>(time, a => a.Kind == ReportAnswerKind.Transient, a => a.Detail, "report", log, onRetry);

    public static ResiliencePipeline<AssignmentAnswer> ForPolls(TimeProvider time, ILogger log) =>
        Build<AssignmentAnswer>(time, a => a.Failure is not null, a => a.Failure ?? "", "assignment poll", log, null);

    private static ResiliencePipeline<T> Build<T>(TimeProvider time, Func<T, bool> transient, Func<T, string> why, string what, ILogger log, Action? onRetry) =>
        new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } r && transient(r)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                OnRetry = args =>
                {
                    onRetry?.Invoke();
                    log.LogWarning("Node did not take the {What} ({Why}); retry {Attempt} in {Delay}",
                        what, args.Outcome.Result is { } r ? why(r) : args.Outcome.Exception?.Message, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
