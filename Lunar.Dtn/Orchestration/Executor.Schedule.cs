using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Orchestration;

public sealed partial class Executor
{
    /// <summary>
    /// One scheduling pass: time out silent servers, then start what the rules allow, campaign by campaign.
    /// Returns how many servers it started.
    /// </summary>
    public int Tick()
    {
        var started = 0;
        lock (_gate)
        {
            if (_dirty) Rebuild();
            var now = _time.GetUtcNow();
            TimeOutSilentServers(now);
            foreach (var plan in _plans)
            {
                if (plan.Control != CampaignControl.Run || plan.Completed) continue;
                if (plan.ApprovalRequired && !plan.QuorumHolds) continue;
                started += StartWhatIsAllowed(plan, now);
            }
        }
        if (started > 0) Progressed?.Invoke();
        return started;
    }

    private int StartWhatIsAllowed(CampaignPlan plan, DateTimeOffset now)
    {
        var slots = Math.Min(plan.Concurrency - plan.UnderWay.Count, plan.BatchSize);
        if (slots <= 0) return 0;
        var stagingGreen = StagingGreen(plan);
        var tier2Open = MaintenanceWindows.Contains(plan.Tier2Windows, now);
        var started = 0;
        for (var i = 0; i < plan.Candidates.Count && started < slots; i++)
        {
            var (serverId, tier, group) = plan.Candidates[i];
            if (tier == 1 && (!plan.QuorumHolds || !stagingGreen)) continue;
            if (tier == 2 && !tier2Open) continue;
            if (!IgnoreRedundancyGroupsForTesting && _groupsOut.GetValueOrDefault(group) > 0) continue;
            if (!Start(plan, serverId, now)) return started;
            plan.Candidates.RemoveAt(i--);
            plan.UnderWay.Add(serverId);
            Bump(_groupsOut, group, 1);
            Signal(serverId);
            started++;
        }
        return started;
    }

    /// <summary>Writes "queued" for a new attempt, only if the campaign is still running and the server still free.</summary>
    private bool Start(CampaignPlan plan, string serverId, DateTimeOffset now)
    {
        var written = Write(
            state => state.Campaigns.TryGetValue(plan.Id, out var c) && c.EffectiveControl == CampaignControl.Run &&
                     !(state.Servers.GetValueOrDefault(serverId)?.Status is { } st && PhaseRules.IsUnderWay(st.Phase)),
            [new LocalChange(Channel.Status, ctx =>
            {
                var previous = ctx.Current.Servers.GetValueOrDefault(serverId)?.Status;
                var attempt = previous?.CampaignId == plan.Id ? previous.Attempt + 1 : 1;
                var status = new ServerStatus(plan.Id, attempt, (previous?.Seq ?? 0) + 1, UpgradePhase.Queued, now.ToUnixTimeMilliseconds(),
                    previous?.Version, null, previous?.RollbackCount ?? 0) { Outcomes = previous?.OutcomesForNext() };
                return ServerFragment(serverId, status);
            })]);
        if (written is null) { _dirty = true; return false; } // the world changed under us (a pause arrived): re-plan next pass
        var after = _replica.Read((s, _) => s.Servers[serverId].Status!);
        RaiseWritten(serverId, null, after);
        return true;
    }

    private bool StagingGreen(CampaignPlan plan)
    {
        if (plan.StagingTotal == 0) return true;
        if (plan.StagingFinished < plan.StagingTotal) return false;
        var allowed = plan.Anomaly?.FailureRate ?? _options.StagingGreenFailureShare;
        return plan.StagingRolledBack <= allowed * plan.StagingTotal;
    }

    private void TimeOutSilentServers(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var plan in _plans)
        {
            foreach (var serverId in plan.UnderWay.ToArray())
            {
                var status = _replica.Read((s, _) => s.Servers.GetValueOrDefault(serverId)?.Status);
                if (status is null || status.CampaignId != plan.Id || status.Phase == UpgradePhase.TimedOut) continue;
                var limit = _options.TimeoutOf(status.Phase);
                if (nowMs - status.SinceMs <= limit.TotalMilliseconds) continue;
                var detail = $"no report for {limit} in {status.Phase.ToName()}";
                Write(
                    state => state.Servers.GetValueOrDefault(serverId)?.Status is { } st && st.Seq == status.Seq,
                    [new LocalChange(Channel.Status, _ => ServerFragment(serverId,
                        status with { Seq = status.Seq + 1, Phase = UpgradePhase.TimedOut, SinceMs = nowMs, Detail = detail }))],
                    new AuditNote(Id, "server-timed-out", $"server {serverId} in campaign {plan.Id} attempt {status.Attempt}: {detail}"));
                RaiseWritten(serverId, status, _replica.Read((s, _) => s.Servers[serverId].Status!));
                Signal(serverId);
            }
        }
    }

    private static ReplicaState ServerFragment(string serverId, ServerStatus status)
    {
        var f = new ReplicaState();
        f.Servers[serverId] = new ServerRecord(null, status, null);
        return f;
    }
}
