using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Simulator.Invariants;

/// <summary>
/// Checks the execution invariants at every status the executor writes, against the executor's own state
/// at that instant:
/// redundancy (never two servers of a group out of service), tier1Quorum (no Tier 1 start without a valid
/// quorum), pauseHonoured (no start unless the campaign's control, as the executor holds it, is run),
/// tier2Window (Tier 2 starts only inside its windows), rollbackWithin5Min (failure to rolled back).
/// Independent of the executor's own bookkeeping: it keeps its own counts.
/// </summary>
public sealed class ExecutionMonitor
{
    private readonly TimeProvider _time;
    private readonly Func<TrustStore> _trust;
    private readonly QuorumPolicy _policy;
    private readonly TimeSpan _rollbackLimit;
    private readonly Dictionary<string, int> _groupOut = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _failedAt = new(StringComparer.Ordinal);

    public ExecutionMonitor(Executor executor, TimeProvider time, Func<TrustStore> trust, QuorumPolicy policy, TimeSpan? rollbackLimit = null)
    {
        _time = time;
        _trust = trust;
        _policy = policy;
        _rollbackLimit = rollbackLimit ?? TimeSpan.FromMinutes(5);
        Watch(executor);
    }

    /// <summary>Watches another executor instance (the same node after a restart), keeping the counts.</summary>
    public void Watch(Executor executor) => executor.StatusWritten += Check;

    public List<Violation> Violations { get; } = [];

    /// <summary>
    /// True when the executor could not hear the agents for part of an interval (its node was down): the agent rolled
    /// back on its own watchdog, but its reports reached the executor late, so the executor's clock cannot judge it.
    /// </summary>
    public Func<DateTimeOffset, DateTimeOffset, bool> ExecutorDeafBetween { get; set; } = (_, _) => false;

    public int Starts { get; private set; }

    public TimeSpan LongestRollback { get; private set; }

    private void Check(string serverId, ServerStatus? before, ServerStatus after, ReplicaState state)
    {
        var now = _time.GetUtcNow();
        var server = state.Servers.GetValueOrDefault(serverId);
        var inv = server?.Inventory;
        var group = inv?.RedundancyGroup?.Value is { Length: > 0 } g ? g : "server:" + serverId;
        var wasOut = before is not null && OutOfService(before.Phase) && before.CampaignId == after.CampaignId && before.Attempt == after.Attempt;
        var isOut = OutOfService(after.Phase);
        if (isOut && !wasOut)
        {
            var n = _groupOut[group] = _groupOut.GetValueOrDefault(group) + 1;
            if (n > 1) Violations.Add(new Violation("redundancy", now, serverId, $"{n} servers of redundancy group {group} out of service at once"));
        }
        if (!isOut && wasOut) _groupOut[group] = _groupOut.GetValueOrDefault(group) - 1;

        if (after.Phase == UpgradePhase.Queued) CheckStart(serverId, after, inv, state, now);
        // The clock starts when the agent reports the failure: a silent (timed-out) agent cannot act before it is back.
        if (after.Phase == UpgradePhase.Failed) _failedAt[serverId] = now.ToUnixTimeMilliseconds();
        if (after.Phase == UpgradePhase.RolledBack && _failedAt.Remove(serverId, out var failedMs))
        {
            var took = TimeSpan.FromMilliseconds(now.ToUnixTimeMilliseconds() - failedMs);
            if (took > LongestRollback) LongestRollback = took;
            // A timed-out server was silent: its rollback clock starts when its agent is heard from again.
            if (took > _rollbackLimit && !ExecutorDeafBetween(DateTimeOffset.FromUnixTimeMilliseconds(failedMs), now))
                Violations.Add(new Violation("rollbackWithin5Min", now, serverId, $"rolled back {took} after the failure (limit {_rollbackLimit})"));
        }
    }

    /// <summary>Out of service for N+2: from the start decision until the attempt is final (the monitor's own definition).</summary>
    private static bool OutOfService(UpgradePhase p) => p == UpgradePhase.Queued || p.IsOutOfService();

    private void CheckStart(string serverId, ServerStatus after, ServerInventory? inv, ReplicaState state, DateTimeOffset now)
    {
        Starts++;
        var campaign = state.Campaigns.GetValueOrDefault(after.CampaignId);
        if (campaign?.EffectiveControl != CampaignControl.Run)
            Violations.Add(new Violation("pauseHonoured", now, serverId, $"started in campaign {after.CampaignId} whose control is {campaign?.EffectiveControl?.ToString() ?? "none"}"));
        var tier = inv?.Tier?.Value ?? 3;
        if (tier == 1 && !ApprovalQuorum.Evaluate(state, after.CampaignId, _trust(), _policy).Holds)
            Violations.Add(new Violation("tier1Quorum", now, serverId, $"Tier 1 server started in campaign {after.CampaignId} without a valid approval quorum"));
        var windows = campaign?.Definition?.Tier2Windows?.Value ?? [];
        if (tier == 2 && !MaintenanceWindows.Contains(windows, now))
            Violations.Add(new Violation("tier2Window", now, serverId, $"Tier 2 server started at {now:HH:mm} UTC, outside its windows"));
    }
}
