using Lunar.Dtn.Agent.Journal;
using Lunar.Dtn.Agent.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace Lunar.Dtn.Agent.Runner;

/// <summary>
/// The agent's main loop: re-send what the journal still owes the node, finish or undo the assignment a restart
/// interrupted, then register (when needed) and long-poll the node for work, one assignment at a time.
/// </summary>
public sealed class AgentRunner(AgentOptions options, AgentJournal journal, NodeClient client, ResiliencePipeline<AssignmentAnswer> pollRetry,
    Registrar registrar, ReportOutbox outbox, UpgradeRun run, TimeProvider time, ILogger<AgentRunner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        // The sender starts first: pending reports from before a restart go out before anything new.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var sender = Task.Run(() => outbox.RunAsync(either.Token), either.Token);
        var work = Task.Run(() => WorkAsync(either.Token), either.Token);
        var first = await Task.WhenAny(sender, work);
        try
        {
            await first;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down: the journal keeps where we were; the restart rules take it from there.
        }
        catch (Exception e)
        {
            // E.g. the journal cannot be written: carrying on would lose track of the server, so stop, loudly.
            log.LogCritical(e, "Agent stopping: {Error}", e.Message);
            Environment.ExitCode = 3;
            throw;
        }
        finally
        {
            await either.CancelAsync();
            try { await Task.WhenAll(sender, work); }
            catch (OperationCanceledException) { }
        }
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        if (journal.State.Current is { } interrupted) await run.ResumeAsync(interrupted, stop);
        while (!stop.IsCancellationRequested)
        {
            if (!registrar.IsRegistered) await registrar.RegisterAsync(stop);
            var answer = await pollRetry.ExecuteAsync(async ct => await client.GetAssignmentAsync(options.PollSeconds, ct), stop);
            if (answer.UnknownAgent)
            {
                log.LogWarning("Node does not know this agent; registering again");
                await registrar.RegisterAsync(stop);
                continue;
            }
            if (answer.Assignment is not { } assignment) continue;
            if (journal.State.Finished.Contains(AttemptKey.Of(assignment.CampaignId, assignment.Attempt)))
            {
                // The node still shows an attempt this agent has finished (its last report may be on the way):
                // never run an attempt twice; ask again after a pause rather than in a tight loop.
                log.LogInformation("Node offers finished attempt {Campaign}/{Attempt} (node phase {Phase}); waiting",
                    assignment.CampaignId, assignment.Attempt, assignment.Phase);
                await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), time, stop);
                continue;
            }
            await run.StartAsync(assignment, stop);
        }
    }
}
