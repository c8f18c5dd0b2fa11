using System.Text.RegularExpressions;
using Lunar.Dtn.Agent.Artifacts;
using Lunar.Dtn.Agent.Drivers;
using Lunar.Dtn.Agent.Journal;
using Lunar.Dtn.Orchestration;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Agent.Runner;

/// <summary>
/// Carries one assignment through its phases: pre-check → downloading → verifying → applying → smoke-test → validated →
/// complete, or on any failure failed → (rolling-back →) rolled-back. Every phase is written to the journal, with its
/// report, before its work starts, so a restart knows what may have been interrupted. Reports go out through the
/// <see cref="ReportOutbox"/>: the upgrade and its rollback never wait for the node; the assignment is let go only
/// once the node has acknowledged its last report (or said the attempt is over).
/// </summary>
public sealed partial class UpgradeRun(AgentOptions options, AgentJournal journal, ReportOutbox outbox, IUpgradeDriver driver,
    Watchdog watchdog, AgentMetrics metrics, ArtifactFetcher fetcher, AssignmentChecks checks, ILogger<UpgradeRun> log)
{
    private const int FinishedKept = 16;

    /// <summary>A new assignment: from pre-check.</summary>
    public async Task StartAsync(Assignment assignment, CancellationToken stop)
    {
        journal.Update(s => s with { Current = new ActiveUpgrade(assignment, "queued", 1, false, s.InstalledVersion) });
        log.LogInformation("Assignment: campaign {Campaign} attempt {Attempt}, {Artifact} version {Version} (node phase {Phase})",
            assignment.CampaignId, assignment.Attempt, assignment.ArtifactName, assignment.Version, assignment.Phase);
        var node = watchdog.Arm(AttemptKey.Of(assignment.CampaignId, assignment.Attempt));
        await ForwardAsync(null, node, stop);
        await SettleAsync(stop);
    }

    /// <summary>After a restart, the journal's assignment: the restart rules of the agent protocol.</summary>
    public async Task ResumeAsync(ActiveUpgrade current, CancellationToken stop)
    {
        var node = watchdog.Arm(current.Key);
        metrics.Phase = current.Phase;
        log.LogWarning("Journal holds campaign {Campaign} attempt {Attempt} in {Phase}; resuming", current.Assignment.CampaignId, current.Assignment.Attempt, current.Phase);
        switch (current.Phase)
        {
            case "queued" or "pre-check" or "downloading" or "verifying":
                // Nothing on the server was changed yet: simply start again.
                await ForwardAsync($"agent restarted during {current.Phase}: starting again from pre-check", node, stop);
                break;
            case "applying" or "smoke-test" or "validated":
                // Interrupted mid-upgrade: the server is in an unknown state; undo at once.
                await FailAsync($"agent restarted during {current.Phase}", watchdog.FailureClock(), stop);
                break;
            case "failed" when !current.Done:
                await AfterFailureAsync(watchdog.FailureClock(), stop);
                break;
            case "rolling-back":
                // Already reported; the deadline restarts with this process (the crash time is not known).
                await RollBackAsync(watchdog.FailureClock(), null, stop);
                break;
        }
        // complete, rolled-back and a failed rollback are done: only their reports may still be unacknowledged.
        await SettleAsync(stop);
    }

    private async Task ForwardAsync(string? firstDetail, CancellationToken node, CancellationToken stop)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(node, stop);
        var ct = both.Token;
        try
        {
            Advance("pre-check", firstDetail ?? "running pre-check", node);
            var step = await driver.PreCheckAsync(Context(), Limit("pre-check"), ct);
            if (!step.Succeeded) { await FailAsync(step.Detail, watchdog.FailureClock(), stop); return; }

            var a = Current.Assignment;
            Advance("downloading", $"downloading {a.ArtifactName} {a.Version} ({a.SizeBytes} bytes) from peers and the mirror", node);
            var problem = CheckMetadata(a) ?? AssignmentChecks.Rollback(a, Current.PreviousVersion) ?? await checks.MixAndMatchAsync(a, ct);
            if (problem is not null) { await FailAsync(problem, watchdog.FailureClock(), stop); return; }
            var fetched = await DownloadAsync(a, ct);
            if (fetched.Refusal is not null) { await FailAsync(fetched.Refusal, watchdog.FailureClock(), stop); return; }

            Advance("verifying", $"checking the whole artifact against the signed sha256 {a.Sha256} and size {a.SizeBytes}", node);
            problem = await fetcher.VerifyAsync(a, fetched.Path!, ct);
            if (problem is not null) { await FailAsync(problem, watchdog.FailureClock(), stop); return; }

            Advance("applying", $"applying {a.ArtifactName} {a.Version} (verified; {fetched.Traffic.FromPeers} bytes from peers, {fetched.Traffic.FromMirror} from the mirror)", node, applied: true);
            step = await driver.ApplyAsync(Context(), Limit("applying"), ct);
            if (!step.Succeeded) { await FailAsync(step.Detail, watchdog.FailureClock(), stop); return; }

            Advance("smoke-test", step.Detail, node);
            step = await driver.SmokeTestAsync(Context(), Limit("smoke-test"), ct);
            if (!step.Succeeded) { await FailAsync(step.Detail, watchdog.FailureClock(), stop); return; }

            // Success is declared only here, after the smoke test passed.
            Advance("validated", step.Detail, node);
            Advance("complete", $"running {Current.Assignment.Version}", node, done: true);
        }
        catch (OperationCanceledException) when (node.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // The node's verdict stopped the step (its hook is killed); SettleAsync acts on the verdict.
            log.LogWarning("Step of {Phase} stopped by the node's verdict", Current.Phase);
        }
    }

    /// <summary>The download, bounded by the node's downloading timeout (the agent gives up first and says so).</summary>
    private async Task<FetchOutcome> DownloadAsync(Orchestration.Assignment a, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (Limit("downloading") is { } l) limit.CancelAfter(l);
        try
        {
            return await fetcher.FetchAsync(a, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var trouble = fetcher.PeerTrouble is { } t ? $" ({t})" : "";
            return FetchOutcome.Refused($"the download did not finish within the {Limit("downloading")!.Value.TotalSeconds:0} s the node allows{trouble}");
        }
    }

    /// <summary>Any failure: failed, then the rollback, started at once and bounded by the rollback deadline.</summary>
    private async Task FailAsync(string detail, long failedAt, CancellationToken stop)
    {
        log.LogWarning("Upgrade failed in {Phase}: {Detail}", Current.Phase, detail);
        Record("failed", detail);
        await AfterFailureAsync(failedAt, stop);
    }

    /// <summary>Failed before applying: rolled-back straight away (nothing to undo); after: rolling-back, the hook, rolled-back.</summary>
    private Task AfterFailureAsync(long failedAt, CancellationToken stop) =>
        Current.Applied
            ? RollBackAsync(failedAt, $"rolling back to {Current.PreviousVersion ?? "the previous version"}", stop)
            : RollBackAsync(failedAt, null, stop);

    /// <summary>
    /// Reports rolling-back (unless <paramref name="rollingBack"/> is null: already reported, or nothing to undo),
    /// runs the rollback hook if anything was applied, and reports the outcome. Only an agent shutdown stops it;
    /// the node's verdicts do not.
    /// </summary>
    private async Task RollBackAsync(long failedAt, string? rollingBack, CancellationToken stop)
    {
        if (rollingBack is not null) Record("rolling-back", rollingBack);
        var current = Current;
        if (!current.Applied)
        {
            Record("rolled-back", "nothing was applied: nothing to undo", done: true);
            return;
        }
        var budget = watchdog.RollbackBudget(failedAt);
        log.LogWarning("Rolling back campaign {Campaign} attempt {Attempt} (deadline in {Budget:0.###} s)",
            current.Assignment.CampaignId, current.Assignment.Attempt, budget.TotalSeconds);
        var step = await driver.RollbackAsync(Context(), budget, stop);
        metrics.RolledBack();
        if (step.Succeeded)
            Record("rolled-back", $"restored {current.PreviousVersion ?? "the previous version"}: {step.Detail}", done: true);
        else
            Record("failed", $"rollback failed: {step.Detail}; the server needs an operator", done: true);
    }

    /// <summary>Waits until the node has every report of the attempt, acting on a verdict that arrives meanwhile.</summary>
    private async Task SettleAsync(CancellationToken stop)
    {
        while (true)
        {
            var changed = outbox.NextChange();
            var current = Current;
            if (watchdog.TakeVerdict() is { } verdict)
            {
                if (verdict.IsFinal)
                {
                    log.LogWarning("Node says attempt {Key} is {Phase}: dropping the assignment", verdict.AttemptKey, verdict.NodePhase);
                    Finish(current);
                    return;
                }
                if (current.Phase is "pre-check" or "downloading" or "verifying" or "applying" or "smoke-test" or "validated" or "complete")
                {
                    // E.g. "timed-out": the node has given up on this attempt; undo it and say so.
                    log.LogWarning("Node says {Phase} for attempt {Key} ({Detail}): rolling back", verdict.NodePhase, verdict.AttemptKey, verdict.Detail);
                    await RollBackAsync(watchdog.FailureClock(), current.Applied
                        ? $"node says {verdict.NodePhase}: rolling back to {current.PreviousVersion ?? "the previous version"}"
                        : $"node says {verdict.NodePhase}: nothing was applied: nothing to undo", stop);
                }
                continue;
            }
            if (current.Done && journal.State.Pending.All(p => p.Key != current.Key))
            {
                Finish(current);
                return;
            }
            await changed.WaitAsync(stop);
        }
    }

    private void Finish(ActiveUpgrade current)
    {
        journal.Update(s => s with
        {
            Current = null,
            Pending = s.Pending.Where(p => p.Key != current.Key).ToArray(),
            Finished = [.. s.Finished.Append(current.Key).TakeLast(FinishedKept)],
        });
        watchdog.Disarm();
        metrics.Phase = "idle";
        log.LogInformation("Attempt {Key} finished in {Phase}", current.Key, current.Phase);
    }

    /// <summary>A forward phase: refused once the node's verdict is in, so no new step starts after it.</summary>
    private void Advance(string phase, string detail, CancellationToken node, bool applied = false, bool done = false)
    {
        node.ThrowIfCancellationRequested();
        Record(phase, detail, applied, done);
    }

    /// <summary>Writes the phase and its report to the journal in one atomic change, then wakes the sender.</summary>
    private void Record(string phase, string detail, bool applied = false, bool done = false)
    {
        journal.Update(s =>
        {
            var c = s.Current! with { Phase = phase, Applied = s.Current!.Applied || applied, Done = done };
            var report = new PendingReport(c.Assignment.CampaignId, c.Assignment.Attempt, c.NextSeq, phase, detail, RunningVersion(c));
            var installed = phase switch
            {
                "complete" => c.Assignment.Version,
                "rolled-back" when c.Applied => c.PreviousVersion,
                _ => s.InstalledVersion,
            };
            return s with { Current = c with { NextSeq = c.NextSeq + 1 }, Pending = [.. s.Pending, report], InstalledVersion = installed };
        });
        metrics.Phase = phase;
        log.LogInformation("Phase {Phase}: {Detail}", phase, detail);
        outbox.Wake();
    }

    /// <summary>The version the server runs as far as the agent knows: the previous one until apply starts and again once rolled back.</summary>
    private static string? RunningVersion(ActiveUpgrade c) =>
        c.Applied && c.Phase != "rolled-back" ? c.Assignment.Version : c.PreviousVersion;

    private ActiveUpgrade Current => journal.State.Current ?? throw new InvalidOperationException("no assignment in progress");

    private UpgradeContext Context()
    {
        var c = Current;
        return new UpgradeContext(options.ServerId, c.Assignment.CampaignId, c.Assignment.Attempt, c.Assignment.ArtifactId,
            c.Assignment.Version, c.Assignment.Sha256, c.PreviousVersion);
    }

    /// <summary>The node's timeout for a phase, so the agent gives up on a step before the node gives up on the agent.</summary>
    private TimeSpan? Limit(string phase) =>
        Current.Assignment.PhaseTimeoutSeconds is { } t && t.TryGetValue(phase, out var s) && s > 0 ? TimeSpan.FromSeconds(s) : null;

    private static string? CheckMetadata(Assignment a)
    {
        if (!Sha256Hex().IsMatch(a.Sha256 ?? "")) return $"assignment names no valid sha256 ('{a.Sha256}')";
        if (a.SizeBytes <= 0) return $"assignment names no artifact size ({a.SizeBytes})";
        return null;
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
