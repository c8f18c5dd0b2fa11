using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;

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
            _executor.Register(s.Id, new AgentReport(null, null, "idle", null, null, s.Site, s.Cluster, s.Tier, s.RedundancyGroup, s.Staging));
    }

    /// <summary>Picks up the assignments the executor has made since the last call; call after every executor pass.</summary>
    public void PollAssignments()
    {
        while (_started.TryDequeue(out var id))
        {
            if (_working.ContainsKey(id)) continue;
            if (_executor.AssignmentFor(id) is not { Phase: "queued" } a) continue;
            _working[id] = (a.CampaignId, a.Attempt);
            Begin(id, a);
        }
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
        var seq = 0L;
        var at = TimeSpan.Zero;
        for (var i = 0; i < Path.Length; i++)
        {
            var step = i;
            if (step == silentAt)
            {
                // The agent dies here; after a while it comes back, finds an interrupted upgrade in its journal and rolls back.
                After(at + _behaviour.SilentFor, () => RollBack(id, a, ref seq, "agent restarted after going silent"));
                return;
            }
            After(at, () => Report(id, a, Path[step], ++seq, null));
            at += total * Share[i];
            if (step == failAt)
            {
                After(at, () => RollBack(id, a, ref seq, $"{Path[step].ToName()} failed"));
                return;
            }
        }
        After(at, () => _working.Remove(id));
    }

    private void RollBack(string id, Assignment a, ref long seq, string why)
    {
        var s = seq;
        Report(id, a, UpgradePhase.Failed, ++s, why);
        Report(id, a, UpgradePhase.RollingBack, ++s, null);
        var last = ++s;
        seq = s;
        After(_behaviour.Rollback, () =>
        {
            Report(id, a, UpgradePhase.RolledBack, last, null);
            _working.Remove(id);
        });
    }

    private void Report(string id, Assignment a, UpgradePhase phase, long seq, string? detail)
    {
        var report = new AgentReport(a.CampaignId, a.Attempt, phase.ToName(), detail, a.Version, null, null, null, null, null, seq);
        if (NodeDown || _undelivered.Count > 0) _undelivered.Enqueue((id, report));
        else Deliver(id, report);
    }

    private void Deliver(string id, AgentReport report)
    {
        var phase = report.Phase!;
        var outcome = _executor.Report(id, report);
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
