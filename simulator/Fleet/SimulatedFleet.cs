using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Simulator.Swarm;

namespace Lunar.Dtn.Simulator.Fleet;

/// <summary>
/// Simulated agents for an executor, in virtual time: each registers its server, picks up its assignment,
/// walks through the phases with durations and failures drawn from its own random stream (so changing one
/// part of a scenario does not reshuffle the rest), and reports every phase through the executor's real
/// report path, exactly as an agent process would over HTTP.
/// </summary>
public sealed class SimulatedFleet
{
    private static readonly UpgradePhase[] Path =
        [UpgradePhase.PreCheck, UpgradePhase.Downloading, UpgradePhase.Verifying, UpgradePhase.Applying, UpgradePhase.SmokeTest, UpgradePhase.Validated, UpgradePhase.Complete];
    private static readonly double[] Share = [0.05, 0.15, 0.05, 0.55, 0.15, 0.025, 0.025];

    private Executor _executor;
    private readonly TimeProvider _time;
    private readonly FleetBehaviour _behaviour;
    private readonly int _seed;
    private readonly Dictionary<string, FleetServer> _servers;
    private readonly Dictionary<string, (string Campaign, int Attempt)> _working = new(StringComparer.Ordinal);
    private readonly HashSet<ITimer> _timers = [];

    // Servers whose agents registered with a Tier 1 node's executor instead of the Moon's (that node never crashes here).
    private readonly Dictionary<string, Executor> _tier1 = new(StringComparer.Ordinal);

    /// <summary>The agents of <paramref name="servers"/> talk to <paramref name="executor"/> (a Tier 1 node), not to the Moon.</summary>
    public void UseTier1Executor(Executor executor, IEnumerable<string> servers)
    {
        foreach (var id in servers) _tier1[id] = executor;
        Watch(executor);
    }

    private Executor ExecutorOf(string id) => _tier1.TryGetValue(id, out var e) ? e : _executor;

    /// <summary>The lunar swarm the agents download the artifact from; null: downloading takes its share of the drawn time.</summary>
    public LanSwarm? Swarm { get; init; }

    public SimulatedFleet(Executor executor, TimeProvider time, IEnumerable<FleetServer> servers, FleetBehaviour behaviour, int seed)
    {
        _executor = executor;
        _time = time;
        _behaviour = behaviour;
        _seed = seed;
        _servers = servers.ToDictionary(s => s.Id, StringComparer.Ordinal);
        Watch(executor);
    }

    /// <summary>Agents learn of a start the moment the executor writes it (a long poll answered at once).</summary>
    private void Watch(Executor executor) =>
        executor.StatusWritten += (id, _, after, _) =>
        {
            if (after.Phase == UpgradePhase.Queued && _servers.ContainsKey(id)) _started.Enqueue(id);
        };

    private readonly Queue<(string Id, AgentReport Report)> _undelivered = new();

    /// <summary>While the executor node is down, agents keep working and hold their reports (a real agent retries them).</summary>
    public bool NodeDown { get; set; }

    /// <summary>The executor node restarted: agents talk to the new instance and deliver what they held, in order.</summary>
    public void UseExecutor(Executor executor)
    {
        _executor = executor;
        Watch(executor);
        NodeDown = false;
        while (_undelivered.TryDequeue(out var r)) Deliver(r.Id, r.Report);
    }

    private readonly Queue<string> _started = new();

    public IReadOnlyCollection<FleetServer> Servers => _servers.Values;

    /// <summary>Reports the executor refused (should stay zero: a simulated agent follows the protocol).</summary>
    public List<string> Refusals { get; } = [];

    public void RegisterAll()
    {
        foreach (var s in _servers.Values)
            ExecutorOf(s.Id).Register(s.Id, new AgentReport(null, null, "idle", null, null, s.Site, s.Cluster, s.Tier, s.RedundancyGroup, s.Staging));
    }

    /// <summary>Picks up the assignments the executor has made since the last call; call after every executor pass.</summary>
    /// <param name="moonUp">False while the Moon is down: its servers' assignments wait for it; Tier 1 nodes' go on.</param>
    public void PollAssignments(bool moonUp = true)
    {
        List<string>? waiting = null;
        while (_started.TryDequeue(out var id))
        {
            if (!moonUp && !_tier1.ContainsKey(id)) { (waiting ??= []).Add(id); continue; }
            if (_working.ContainsKey(id)) continue;
            if (ExecutorOf(id).AssignmentFor(id) is not { Phase: "queued" } a) continue;
            _working[id] = (a.CampaignId, a.Attempt);
            Begin(id, a);
        }
        if (waiting is not null) foreach (var id in waiting) _started.Enqueue(id);
    }

    private void Begin(string id, Assignment a)
    {
        // Each server and attempt draws from its own stream (HashCode is randomised per process, so mix by hand).
        var random = new Random(unchecked(_seed * 1_000_003 + StableHash(id) * 31 + a.Attempt));
        var total = _behaviour.MeanUpgrade * (0.75 + random.NextDouble() * 0.5);
        var fails = random.NextDouble() < _behaviour.FailureRate;
        var failAt = fails ? (random.NextDouble() < 0.7 ? 3 : 4) : -1; // apply or smoke test
        var silent = random.NextDouble() < _behaviour.SilenceRate;
        var silentAt = silent ? random.Next(0, Path.Length - 1) : -1;
        Walk(new AttemptRun(id, a, total, failAt, silentAt), 0, TimeSpan.Zero);
    }

    /// <summary>One attempt of one server: what it drew, and the sequence number of its last report.</summary>
    private sealed class AttemptRun(string id, Assignment a, TimeSpan total, int failAt, int silentAt)
    {
        public string Id { get; } = id;
        public Assignment A { get; } = a;
        public TimeSpan Total { get; } = total;
        public int FailAt { get; } = failAt;
        public int SilentAt { get; } = silentAt;
        public long Seq { get; set; }
    }

    /// <summary>
    /// Schedules the attempt's reports from phase <paramref name="from"/> on, the first <paramref name="at"/> from now. With a
    /// swarm, the walk stops at downloading: the swarm resumes it the instant the agent holds every piece.
    /// </summary>
    private void Walk(AttemptRun r, int from, TimeSpan at)
    {
        for (var i = from; i < Path.Length; i++)
        {
            var step = i;
            if (step == r.SilentAt)
            {
                // The agent dies here; after a while it comes back, finds an interrupted upgrade in its journal and rolls back.
                After(at + _behaviour.SilentFor, () => RollBack(r, "agent restarted after going silent"));
                return;
            }
            After(at, () => Report(r.Id, r.A, Path[step], ++r.Seq, null));
            if (Path[step] == UpgradePhase.Downloading && Swarm is not null)
            {
                Swarm.Join(r.Id, _servers[r.Id].Site, (_time.GetUtcNow() + at).UtcTicks,
                    doneTicks => After(TimeSpan.FromTicks(doneTicks - _time.GetUtcNow().UtcTicks), () => Walk(r, step + 1, TimeSpan.Zero)));
                return;
            }
            at += r.Total * ShareOf(step);
            if (step == r.FailAt)
            {
                After(at, () => RollBack(r, $"{Path[step].ToName()} failed"));
                return;
            }
        }
        After(at, () => _working.Remove(r.Id));
    }

    /// <summary>A phase's share of the drawn duration; with a swarm the download takes what the swarm takes, and the other phases share it all.</summary>
    private double ShareOf(int step) => Swarm is null ? Share[step] : Share[step] / (1 - Share[1]);

    private void RollBack(AttemptRun r, string why)
    {
        Report(r.Id, r.A, UpgradePhase.Failed, ++r.Seq, why);
        Report(r.Id, r.A, UpgradePhase.RollingBack, ++r.Seq, null);
        var last = ++r.Seq;
        After(_behaviour.Rollback, () =>
        {
            Report(r.Id, r.A, UpgradePhase.RolledBack, last, null);
            _working.Remove(r.Id);
        });
    }

    private void Report(string id, Assignment a, UpgradePhase phase, long seq, string? detail)
    {
        var report = new AgentReport(a.CampaignId, a.Attempt, phase.ToName(), detail, a.Version, null, null, null, null, null, seq);
        if (_tier1.ContainsKey(id)) Deliver(id, report);
        else if (NodeDown || _undelivered.Count > 0) _undelivered.Enqueue((id, report));
        else Deliver(id, report);
    }

    private void Deliver(string id, AgentReport report)
    {
        var phase = report.Phase!;
        var outcome = ExecutorOf(id).Report(id, report);
        // A timed-out attempt refuses progress: the agent then rolls back, as a real one does on that answer.
        if (outcome.Status == ReportStatus.Conflict && outcome.Phase != "timed-out") Refusals.Add($"{id} {phase}: {outcome.Problem}");
    }

    private void After(TimeSpan due, Action action)
    {
        var holder = new ITimer?[1];
        holder[0] = _time.CreateTimer(_ =>
        {
            if (holder[0] is { } t) { _timers.Remove(t); t.Dispose(); }
            action();
        }, null, due <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : due, Timeout.InfiniteTimeSpan);
        _timers.Add(holder[0]!);
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }
}
