using Lunar.Dtn.Agent.Journal;
using Lunar.Dtn.Agent.Protocol;
using Microsoft.Extensions.Logging;
using Polly;

namespace Lunar.Dtn.Agent.Runner;

/// <summary>
/// Sends the journal's pending reports to the node, strictly one at a time in order, each retried until the node
/// answers — so the upgrade itself never waits on the node, and the node sees seq 1, 2, 3... of an attempt in order.
/// A report leaves the journal only on an answer: acknowledged (also as a duplicate), or refused (409, 4xx).
/// A refused report was not recorded by the node, so the attempt's later reports move down one seq to keep the
/// node's sequence gap-free. A 409 is also handed to the <see cref="Watchdog"/> as the node's verdict.
/// </summary>
public sealed class ReportOutbox(AgentJournal journal, NodeClient client, ResiliencePipeline<ReportAnswer> retry, Registrar registrar,
    Watchdog watchdog, AgentMetrics metrics, ILogger<ReportOutbox> log)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Tells the sender there is something new in the journal.</summary>
    public void Wake()
    {
        lock (_gate) _wake.TrySetResult();
    }

    /// <summary>Completes the next time the sender takes a report off the journal (answered or refused).</summary>
    public Task NextChange()
    {
        lock (_gate) return _changed.Task;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Task wake;
            lock (_gate) wake = _wake.Task;
            var head = journal.State.Pending.FirstOrDefault();
            if (head is null)
            {
                await wake.WaitAsync(stop);
                lock (_gate) _wake = NewSignal();
                continue;
            }
            var answer = await retry.ExecuteAsync(async ct => await client.ReportAsync(head.ToWire(), ct), stop);
            switch (answer.Kind)
            {
                case ReportAnswerKind.Acknowledged:
                    journal.Update(s => Remove(s, head, renumber: false));
                    metrics.ReportAcknowledged();
                    log.LogInformation("Node acknowledged {Phase} (attempt {Key}, seq {Seq}){Duplicate}", head.Phase, head.Key, head.Seq,
                        answer.Duplicate ? " as a duplicate: it had recorded it before the answer was lost" : "");
                    break;
                case ReportAnswerKind.Conflict:
                    var verdict = new NodeVerdict(head.Key, answer.NodePhase ?? "unknown", answer.Detail);
                    // A final node phase: the node wants nothing more about this attempt, so drop all of it.
                    journal.Update(s => verdict.IsFinal ? RemoveAttempt(s, head) : Remove(s, head, renumber: true));
                    log.LogWarning("Node refused {Phase} (attempt {Key}, seq {Seq}) with 409: its phase is {NodePhase} ({Detail})",
                        head.Phase, head.Key, head.Seq, verdict.NodePhase, answer.Detail);
                    watchdog.NodeSaid(verdict);
                    break;
                case ReportAnswerKind.UnknownAgent:
                    log.LogWarning("Node does not know this agent ({Detail}); registering again before re-sending {Phase}", answer.Detail, head.Phase);
                    await registrar.RegisterAsync(stop);
                    continue; // the same head, now to a node that knows us
                default:
                    // A report the node cannot parse will never be accepted; keeping it would block every later one.
                    journal.Update(s => Remove(s, head, renumber: true));
                    log.LogError("Node rejected {Phase} (attempt {Key}, seq {Seq}): {Detail}; dropped", head.Phase, head.Key, head.Seq, answer.Detail);
                    break;
            }
            lock (_gate)
            {
                _changed.TrySetResult();
                _changed = NewSignal();
            }
        }
    }

    private static JournalState Remove(JournalState s, PendingReport head, bool renumber)
    {
        var rest = s.Pending.Where(p => p != head)
            .Select(p => renumber && p.Key == head.Key && p.Seq > head.Seq ? p with { Seq = p.Seq - 1 } : p)
            .ToArray();
        var current = s.Current;
        if (renumber && current is not null && current.Key == head.Key) current = current with { NextSeq = current.NextSeq - 1 };
        return s with { Pending = rest, Current = current };
    }

    private static JournalState RemoveAttempt(JournalState s, PendingReport head)
    {
        var rest = s.Pending.Where(p => p.Key != head.Key).ToArray();
        var current = s.Current;
        if (current is not null && current.Key == head.Key) current = current with { NextSeq = head.Seq };
        return s with { Pending = rest, Current = current };
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
