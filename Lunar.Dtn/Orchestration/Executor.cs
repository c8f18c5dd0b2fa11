using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Orchestration;

/// <summary>
/// The scheduler of one executor node (the Moon, or a Tier 1 node for its own cluster). It alone writes the
/// upgrade status of the servers it owns, so the safety rules — redundancy groups, quorum, windows, pause —
/// never depend on two replicas agreeing in real time. Every start is written with a precondition checked
/// under the replica's lock: if a pause or cancel has reached this replica, nothing more starts.
/// </summary>
public sealed partial class Executor
{
    // The thread this executor is writing on, 0 when it is not writing: the replica raises Changed on the writer's thread,
    // so "changed while I write, on my thread" is my own write. Instance state (it was a [ThreadStatic] static shared by every
    // executor in the process, so one executor's write hid another's remote change on the same thread: issue 16, defect 9);
    // tied to the thread, so a merge on another thread during the write still marks the plan dirty.
    private int _writingOn;

    private readonly Lock _gate = new();
    private readonly Replica _replica;
    private readonly ExecutorOptions _options;
    private readonly QuorumPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private List<CampaignPlan> _plans = [];
    private Dictionary<string, int> _groupsOut = new(StringComparer.Ordinal);
    private volatile bool _dirty = true;
    private readonly IReadOnlyDictionary<string, int> _timeoutsByName;

    public Executor(Replica replica, ExecutorOptions options, QuorumPolicy policy)
    {
        _replica = replica;
        _options = options;
        _policy = policy;
        _time = replica.Time;
        // Sent with every assignment (each long poll): computed once.
        _timeoutsByName = options.PhaseTimeouts.ToDictionary(kv => kv.Key.ToName(), kv => (int)kv.Value.TotalSeconds);
        // Anything that changed the state other than our own writes (operators, remote merges) may change the plan.
        _replica.Changed += () => { if (Volatile.Read(ref _writingOn) != Environment.CurrentManagedThreadId) _dirty = true; };
    }

    public string Id => _replica.Id;

    /// <summary>Raised after the executor wrote something (a start, a timeout, a report), for whoever drives the next tick.</summary>
    public event Action? Progressed;

    /// <summary>
    /// Raised (under the executor's lock, right after the write) for every status this executor writes: the
    /// previous status, the new one, and the state it was written into. Invariant checkers watch this.
    /// The handlers run under the replica's lock too: the state is the replica's live state, valid only during the call
    /// (a merge on another thread waits meanwhile); a handler reads it and must not keep it nor write to the replica.
    /// </summary>
    public event Action<string, ServerStatus?, ServerStatus, ReplicaState>? StatusWritten;

    private void RaiseWritten(string serverId, ServerStatus? before, ServerStatus after)
    {
        if (StatusWritten is not { } handlers) return;
        _replica.Read((s, _) => { handlers(serverId, before, after, s); return true; });
    }

    /// <summary>Raised when the anomaly rule paused a campaign (its id), for whoever reviews alerts.</summary>
    public event Action<string>? AnomalyPaused;

    /// <summary>Test-only switch to break one safety rule on purpose and show that the checkers catch it.</summary>
    public bool IgnoreRedundancyGroupsForTesting { get; set; }

    private bool OwnsServer(ServerRecord s) => s.Inventory?.OwnerNode?.Value == Id;

    private IReadOnlyList<Dot>? Write(Func<ReplicaState, bool> precondition, IReadOnlyList<LocalChange> changes, AuditNote? audit = null)
    {
        Volatile.Write(ref _writingOn, Environment.CurrentManagedThreadId);
        try { return _replica.TryWrite(precondition, changes, audit); }
        finally { Volatile.Write(ref _writingOn, 0); }
    }

    /// <summary>Rebuilds the plans and the redundancy-group occupancy from the replicated state.</summary>
    private void Rebuild()
    {
        _dirty = false;
        (_plans, _groupsOut) = _replica.Read((state, _) => BuildPlans(state));
    }

    private (List<CampaignPlan>, Dictionary<string, int>) BuildPlans(ReplicaState state)
    {
        var trust = _replica.Trust;
        var plans = new List<CampaignPlan>();
        foreach (var (id, record) in state.Campaigns)
        {
            if (record.Definition is not { } d) continue;
            var control = record.EffectiveControl;
            var runSince = record.Control?.Entries.Where(e => e.Value == CampaignControl.Run).Select(e => e.Stamp.WallMs).DefaultIfEmpty(0).Max() ?? 0;
            plans.Add(new CampaignPlan
            {
                Id = id,
                Definition = d,
                Selector = d.Selector?.Value ?? CampaignSelector.All,
                Artifact = d.ArtifactId is { } a ? state.Artifacts.GetValueOrDefault(a.Value) : null,
                Control = control,
                RunSinceMs = runSince,
                CreatedStamp = d.Name?.Stamp.Value ?? 0,
                ApprovalRequired = d.ApprovalRequired?.Value ?? true,
                QuorumHolds = ApprovalQuorum.Evaluate(state, id, trust, _policy).Holds,
                BatchSize = d.BatchSize?.Value ?? CampaignView.DefaultBatchSize,
                Concurrency = d.ConcurrencyLimit?.Value ?? CampaignView.DefaultConcurrency,
                Anomaly = d.PauseOnAnomaly?.Value,
                Tier2Windows = d.Tier2Windows?.Value ?? [],
            });
        }
        plans.Sort((a, b) => a.CreatedStamp != b.CreatedStamp ? a.CreatedStamp.CompareTo(b.CreatedStamp) : string.CompareOrdinal(a.Id, b.Id));

        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = plans.ToDictionary(p => p.Id, _ => new List<(int Rank, CampaignPlan.Candidate C)>());
        var finishedRecently = plans.ToDictionary(p => p.Id, _ => new List<(long At, bool Failed)>());
        foreach (var (serverId, server) in state.Servers)
        {
            if (server.Inventory is not { } inv) continue;
            if (!OwnsServer(server))
            {
                // Another executor's staging servers still gate this one's Tier 1: a Tier 1 node waits for the Moon's
                // staging pool to be green as far as it knows (the Moon's stick carries their outcomes).
                if (inv.Staging?.Value == true) CountForeignStaging(plans, inv, server.Status);
                continue;
            }
            var status = server.Status;
            if (status is not null && OutOfService(status.Phase)) Bump(groups, GroupOf(serverId, inv), 1);
            var tier = inv.Tier?.Value ?? 3;
            var staging = inv.Staging?.Value ?? false;
            foreach (var plan in plans)
            {
                if (!plan.Selector.Matches(inv.Site?.Value ?? "", inv.Cluster?.Value ?? "", tier)) continue;
                plan.Targets++;
                if (staging) plan.StagingTotal++;
                var outcome = status?.OutcomeOf(plan.Id);
                if (status?.CampaignId == plan.Id && PhaseRules.IsUnderWay(status.Phase)) plan.UnderWay.Add(serverId);
                else if (outcome is { } o)
                {
                    plan.Finished++;
                    if (staging) { plan.StagingFinished++; if (o == UpgradePhase.RolledBack) plan.StagingRolledBack++; }
                    if (status!.CampaignId == plan.Id && status.SinceMs >= plan.RunSinceMs)
                        finishedRecently[plan.Id].Add((status.SinceMs, o == UpgradePhase.RolledBack));
                }
                else candidates[plan.Id].Add((StartRank(staging, tier), new CampaignPlan.Candidate(serverId, tier, GroupOf(serverId, inv))));
            }
        }
        foreach (var plan in plans)
        {
            plan.Candidates.AddRange(candidates[plan.Id].OrderBy(c => c.Rank).ThenBy(c => c.C.Id, StringComparer.Ordinal).Select(c => c.C));
            foreach (var (_, failed) in finishedRecently[plan.Id].OrderBy(f => f.At)) plan.NoteOutcome(failed);
        }
        return (plans, groups);
    }

    private static void CountForeignStaging(List<CampaignPlan> plans, ServerInventory inv, ServerStatus? status)
    {
        foreach (var plan in plans)
        {
            if (!plan.Selector.Matches(inv.Site?.Value ?? "", inv.Cluster?.Value ?? "", inv.Tier?.Value ?? 3)) continue;
            plan.StagingTotal++;
            if (status?.OutcomeOf(plan.Id) is not { } outcome) continue;
            plan.StagingFinished++;
            if (outcome == UpgradePhase.RolledBack) plan.StagingRolledBack++;
        }
    }

    /// <summary>Start order: staging first, then Tier 1 (one per redundancy group at a time: the critical path), Tier 2, Tier 3.</summary>
    private static int StartRank(bool staging, int tier) => staging ? 0 : tier;

    /// <summary>Out of service for the N+2 rule: from the moment a start is decided until the attempt is final.</summary>
    internal static bool OutOfService(UpgradePhase phase) => phase == UpgradePhase.Queued || phase.IsOutOfService();

    internal static string GroupOf(string serverId, ServerInventory inv) =>
        inv.RedundancyGroup?.Value is { Length: > 0 } g ? g : "server:" + serverId;

    private static void Bump(Dictionary<string, int> counts, string key, int by) =>
        counts[key] = (counts.TryGetValue(key, out var n) ? n : 0) + by;

    private void Signal(string serverId)
    {
        if (_waiters.Remove(serverId, out var tcs)) tcs.TrySetResult();
    }
}
