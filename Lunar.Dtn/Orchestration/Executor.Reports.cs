using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Orchestration;

public sealed partial class Executor
{
    /// <summary>Registers a server (first contact) or updates what it is; this executor becomes its owner.</summary>
    public ReportOutcome Register(string serverId, AgentReport report)
    {
        if (report.Site is null) return new ReportOutcome(ReportStatus.Invalid, "idle", "registration needs at least the site");
        if (report.Tier is { } t && t is < 1 or > 3) return new ReportOutcome(ReportStatus.Invalid, "idle", $"tier {t} is not 1, 2 or 3");
        lock (_gate)
        {
            var existing = _replica.Read((s, _) => s.Servers.GetValueOrDefault(serverId));
            var inv = existing?.Inventory;
            // The partition rule: a server is scheduled only by the executor it registered with (its inventory's owner).
            // Taking over another executor's server could let two executors start it at once while they cannot talk
            // (an air-gapped Tier 1 node hears from the Moon only by USB stick), so it is refused.
            if (inv?.OwnerNode?.Value is { } owner && owner != Id)
                return new ReportOutcome(ReportStatus.Conflict, existing?.Status?.Phase.ToName() ?? "idle",
                    $"server {serverId} belongs to executor '{owner}' (its agent registered there); point its agent at that node, this one ('{Id}') will not take it over");
            var phase = existing?.Status?.Phase.ToName() ?? "idle";
            // What a server is (site, cluster, tier, redundancy group, staging) is fixed by its first registration: an agent
            // (or whoever holds its certificate) must not move a Tier 1 server to Tier 3, out of its redundancy group, or
            // into the staging pool that unlocks Tier 1. No endpoint changes them; a changed server is a new server id.
            if (inv is not null && inv.OwnerNode?.Value == Id && FixedFieldChanged(inv, report) is { } changed)
                return new ReportOutcome(ReportStatus.Refused, phase,
                    $"server {serverId} is registered with {changed}: what a server is is fixed at its first registration and its agent cannot change it " +
                    "(correct the agent's configuration, or give the changed server a new id)");
            if (inv is not null && inv.OwnerNode?.Value == Id) return new ReportOutcome(ReportStatus.Duplicate, phase);
            var known = inv is not null;
            Write(_ => true, [new LocalChange(Channel.Status, ctx =>
            {
                // On first contact every field gets a value; later, only the fields the report gives are written.
                var f = new ReplicaState();
                f.Servers[serverId] = new ServerRecord(new ServerInventory
                {
                    Site = new(report.Site, ctx.Stamp, ctx.ReplicaId),
                    Cluster = known && report.Cluster is null ? null : new(report.Cluster ?? "", ctx.Stamp, ctx.ReplicaId),
                    Tier = known && report.Tier is null ? null : new(report.Tier ?? 3, ctx.Stamp, ctx.ReplicaId),
                    RedundancyGroup = known && report.RedundancyGroup is null ? null : new(report.RedundancyGroup ?? serverId, ctx.Stamp, ctx.ReplicaId),
                    Staging = known && report.Staging is null ? null : new(report.Staging ?? false, ctx.Stamp, ctx.ReplicaId),
                    OwnerNode = new(Id, ctx.Stamp, ctx.ReplicaId),
                }, null, null);
                return f;
            })], known ? null : new AuditNote(serverId, "agent-registered", $"server {serverId} at {report.Site}/{report.Cluster} tier {report.Tier ?? 3}"));
            _dirty = true;
            return new ReportOutcome(ReportStatus.Accepted, phase);
        }
    }

    /// <summary>The first field of <paramref name="report"/> that differs from what is recorded, as "tier 1 (the report says 3)"; null when none does.</summary>
    private static string? FixedFieldChanged(ServerInventory inv, AgentReport report)
    {
        if (report.Site is { } site && (inv.Site?.Value ?? "") != site) return $"site '{inv.Site?.Value}' (the report says '{site}')";
        if (report.Cluster is { } cluster && (inv.Cluster?.Value ?? "") != cluster) return $"cluster '{inv.Cluster?.Value}' (the report says '{cluster}')";
        if (report.Tier is { } tier && (inv.Tier?.Value ?? 3) != tier) return $"tier {inv.Tier?.Value ?? 3} (the report says {tier})";
        if (report.RedundancyGroup is { } group && inv.RedundancyGroup?.Value is { } recorded && recorded != group)
            return $"redundancy group '{recorded}' (the report says '{group}')";
        if (report.Staging is { } staging && (inv.Staging?.Value ?? false) != staging)
            return $"staging {(inv.Staging?.Value ?? false ? "true" : "false")} (the report says {(staging ? "true" : "false")})";
        return null;
    }

    /// <summary>
    /// Records an agent's phase report for its current attempt. Checks, in order: known server, matching
    /// campaign and attempt, not a replay, a legal transition. Anything refused changes nothing.
    /// </summary>
    public ReportOutcome Report(string serverId, AgentReport report)
    {
        if (report.Phase is null || !PhaseNames.TryParsePhase(report.Phase, out var next))
            return new ReportOutcome(ReportStatus.Invalid, "", $"phase '{report.Phase}' is not one of {string.Join(", ", Enum.GetValues<UpgradePhase>().Select(p => p.ToName()))}");
        if (next == UpgradePhase.Idle) return Register(serverId, report);
        ReportOutcome outcome;
        lock (_gate)
        {
            var server = _replica.Read((s, _) => s.Servers.GetValueOrDefault(serverId));
            if (server?.Inventory is null || !OwnsServer(server))
                return new ReportOutcome(ReportStatus.UnknownAgent, "idle", $"unknown agent '{serverId}': register it first (report phase idle with site, cluster, tier)");
            var status = server.Status;
            var current = status?.Phase.ToName() ?? "idle";
            if (status is null || status.CampaignId != report.CampaignId || status.Attempt != report.Attempt)
                return new ReportOutcome(ReportStatus.Conflict, current,
                    $"no attempt {report.Attempt} of campaign '{report.CampaignId}' on {serverId}; the current one is " +
                    (status is null ? "none" : $"attempt {status.Attempt} of '{status.CampaignId}' ({current})"));
            var seq = report.Seq ?? status.AgentSeq + 1;
            // The report with the last recorded seq, sent again (its answer was lost), is a duplicate — also when the
            // executor has timed the attempt out since: the phase recorded for that seq is then no longer the status's.
            if (seq <= status.AgentSeq)
                return next == status.Phase || (seq == status.AgentSeq && status.Phase == UpgradePhase.TimedOut)
                    ? new ReportOutcome(ReportStatus.Duplicate, current)
                    : new ReportOutcome(ReportStatus.Conflict, current, $"replayed report: seq {seq} was already recorded for {serverId}; the server is {current}");
            if (PhaseRules.CheckReport(status.Phase, next) is { } why)
                return new ReportOutcome(ReportStatus.Conflict, current, $"report out of order for {serverId}: {why}");

            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var updated = status with
            {
                Seq = status.Seq + 1, Phase = next, SinceMs = nowMs, Detail = report.Detail, AgentSeq = seq,
                Version = next == UpgradePhase.Complete ? report.Version ?? status.Version : status.Version,
                RollbackCount = status.RollbackCount + (next == UpgradePhase.RolledBack ? 1 : 0),
            };
            var audit = next is UpgradePhase.Failed or UpgradePhase.RolledBack
                ? new AuditNote(serverId, "server-" + next.ToName(), $"server {serverId} in campaign {status.CampaignId} attempt {status.Attempt}: {report.Detail}")
                : null;
            var written = Write(s => s.Servers.GetValueOrDefault(serverId)?.Status is { } st && st.Seq == status.Seq,
                [new LocalChange(Channel.Status, _ => ServerFragment(serverId, updated))], audit);
            if (written is null) return new ReportOutcome(ReportStatus.Conflict, current, $"{serverId} changed while this report was checked; send it again");
            RaiseWritten(serverId, status, updated);
            if (next.IsFinal()) Finish(serverId, server.Inventory, status.CampaignId, next);
            outcome = new ReportOutcome(ReportStatus.Accepted, next.ToName());
        }
        Progressed?.Invoke();
        return outcome;
    }

    /// <summary>An attempt ended: free its slot and its redundancy group, and judge the anomaly rule.</summary>
    private void Finish(string serverId, ServerInventory inv, string campaignId, UpgradePhase final)
    {
        Bump(_groupsOut, GroupOf(serverId, inv), -1);
        var plan = _plans.FirstOrDefault(p => p.Id == campaignId);
        if (plan is null || !plan.UnderWay.Remove(serverId)) { _dirty = true; return; }
        plan.Finished++;
        if (inv.Staging?.Value == true) { plan.StagingFinished++; if (final == UpgradePhase.RolledBack) plan.StagingRolledBack++; }
        plan.NoteOutcome(final == UpgradePhase.RolledBack);
        if (plan.Control == CampaignControl.Run && plan.AnomalyTripped(out var failed, out var window))
        {
            var reason = $"anomaly: {failed} of the last {window} finished servers failed (limit {plan.Anomaly!.FailureRate:P0})";
            Volatile.Write(ref _writingOn, Environment.CurrentManagedThreadId);
            try { _replica.Control(plan.Id, CampaignControl.Pause, Id, reason); }
            finally { Volatile.Write(ref _writingOn, 0); }
            _replica.Audit(new AuditNote(Id, "alert-anomaly-pause", $"campaign {plan.Id} paused: {reason}"));
            _dirty = true;
            AnomalyPaused?.Invoke(plan.Id);
        }
    }

    /// <summary>The work assigned to a server (queued or under way), or null.</summary>
    public Assignment? AssignmentFor(string serverId) => _replica.Read((state, _) =>
    {
        if (state.Servers.GetValueOrDefault(serverId)?.Status is not { } st || !PhaseRules.IsUnderWay(st.Phase)) return null;
        var campaign = state.Campaigns.GetValueOrDefault(st.CampaignId)?.Definition;
        var artifact = campaign?.ArtifactId is { } a ? state.Artifacts.GetValueOrDefault(a.Value) : null;
        return new Assignment(serverId, st.CampaignId, st.Attempt, artifact?.Id ?? "", artifact?.Name ?? "", artifact?.Version ?? "",
            artifact?.Sha256 ?? "", artifact?.SizeBytes ?? 0, st.Phase.ToName(),
            _timeoutsByName);
    });

    /// <summary>Completes when the server may have new work (or after <paramref name="wait"/>): the long poll of the agent protocol.</summary>
    public async Task<Assignment?> WaitForAssignmentAsync(string serverId, TimeSpan wait, CancellationToken ct)
    {
        if (AssignmentFor(serverId) is { } now) return now;
        Task signal;
        lock (_gate)
        {
            if (!_waiters.TryGetValue(serverId, out var tcs))
                _waiters[serverId] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = tcs.Task;
        }
        try { await signal.WaitAsync(wait, _time, ct).ConfigureAwait(false); }
        catch (TimeoutException) { }
        return AssignmentFor(serverId);
    }
}
