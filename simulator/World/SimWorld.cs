using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Simulator.Fleet;
using Lunar.Dtn.Simulator.Invariants;
using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.Swarm;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// One deterministic, single-threaded run of a scenario in virtual time: Earth and Moon replicas (the real
/// replica, bundle and sync code) over a simulated link with the scenario's delay, bandwidth, loss and
/// blackouts; the real executor on the Moon (and on optional Tier 1 nodes, replicas on the Moon's LAN) with simulated
/// agents; the artifact crossing the Earth link as the real transfer's chunk bundles and then handed round by a piece-level
/// lunar swarm; operators' events and node crashes. Invariants are checked at every status an executor writes and at every
/// bundle accepted.
/// </summary>
public sealed partial class SimWorld : IDisposable
{
    public const string CampaignId = "camp-sim";
    private static readonly DateTimeOffset Origin = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    /// <summary>Virtual time between two points of the charts' time series.</summary>
    public static readonly TimeSpan SampleEvery = TimeSpan.FromMinutes(15);
    private static readonly (string Id, string Role)[] Approvers = [("alice", "flight-director"), ("bob", "base-lead")];

    private readonly Scenario _s;
    private readonly VirtualClock _time = new(Origin);
    private readonly TrustStore _trust;
    private readonly SimulatedLink _link;
    private readonly SimNode _earth, _moon;
    private readonly ExecutorOptions _executorOptions = new();
    private readonly QuorumPolicy _policy = QuorumPolicy.Default;
    private readonly SimulatedFleet _fleet;
    private readonly ExecutionMonitor _monitor;
    private readonly List<Violation> _violations = [];
    private readonly Dictionary<string, int> _tierOf;
    private readonly Dictionary<int, int> _finalByTier = [];
    private readonly Dictionary<int, double> _tierDoneHours = [];
    private readonly Dictionary<string, UpgradePhase> _final = new(StringComparer.Ordinal);
    private readonly List<double> _afterBlackout = [];
    private readonly List<CatchUp> _catchUps = [];
    private readonly ObservedLinkEnd _moonEnd;
    private readonly LossLedger _loss;
    private readonly List<TimelineSample> _timeline = [];
    private Executor _executor;
    private double? _campaignHours;
    private double _maxLag;
    private DateTimeOffset _earthCaughtUpAt = Origin;
    private TimeSpan? _resumeAt;
    private readonly string _scratch;
    private readonly string _artifactId;
    private readonly LanSwarm _swarm;
    private long _earthArtifactBytes, _earthArtifactStatusBytes, _moonArtifactStatusBytes;
    private DateTimeOffset? _mirrorHoldsAt;

    public SimWorld(Scenario scenario, bool breakRedundancyForTesting = false)
    {
        _s = scenario;
        var tier1Ids = Enumerable.Range(0, scenario.Tier1Nodes).Select(FleetLayout.Tier1NodeId).ToArray();
        _trust = SimulationKeys.Trust(["earth", "moon", .. tier1Ids], Approvers);
        _link = new SimulatedLink("earth", "moon", new LinkConditions
        {
            OneWayDelay = TimeSpan.FromSeconds(scenario.OneWayDelaySeconds),
            BandwidthBitsPerSecond = (long)(scenario.BandwidthMbps * 1_000_000),
            Loss = scenario.Loss,
            Blackouts = scenario.Blackouts,
        }, _time, new Random(scenario.Seed));
        var earthEnd = new ObservedLinkEnd(_link.A);
        var moonEnd = new ObservedLinkEnd(_link.B);
        // The artifact's bytes on Earth; the real chunk transfer moves them to the Moon's content store over the same link.
        _scratch = ArtifactOrigin.ScratchFolder();
        _artifactId = ArtifactOrigin.Write(Path.Combine(_scratch, "earth"), scenario.ArtifactBytes);
        var moonArtifacts = new NodeArtifacts(Path.Combine(_scratch, "moon"));
        _earth = new SimNode("earth", ["moon"], _trust, _time, earthEnd, new NodeArtifacts(Path.Combine(_scratch, "earth")), _link.A);
        _moon = new SimNode("moon", ["earth", .. tier1Ids], _trust, _time, moonEnd, moonArtifacts, _link.B);
        foreach (var id in tier1Ids)
        {
            // A Tier 1 node on the Moon's LAN: a full replica that syncs with the Moon only (Earth's intervals reach it through
            // the Moon, still signed by Earth), and runs its own executor for the Tier 1 servers whose agents registered with it.
            var lan = new SimulatedLink("moon", id, new LinkConditions { OneWayDelay = TimeSpan.FromMilliseconds(1), BandwidthBitsPerSecond = 1_000_000_000 },
                _time, new Random(unchecked(scenario.Seed * 31 + _tier1.Count + 1)));
            _moon.AddLanLink(lan.A);
            var node = new SimNode(id, ["moon"], _trust, _time, lan.B);
            node.Received += o => CheckSigned(node, o);
            _tier1.Add((node, null!));
        }
        _link.A.Transmitting += (bundle, priority) => { if (priority == BundlePriority.Bulk) CountArtifact(bundle, ref _earthArtifactBytes, ref _earthArtifactStatusBytes); };
        _link.B.Transmitting += (bundle, priority) =>
        {
            long none = 0;
            if (priority == BundlePriority.Bulk) CountArtifact(bundle, ref none, ref _moonArtifactStatusBytes);
        };
        _swarm = new LanSwarm(new SwarmSettings
        {
            ArtifactBytes = scenario.ArtifactBytes,
            PieceBytes = scenario.PieceBytes,
            MirrorUploadMbps = scenario.MirrorMbps,
            AgentDownloadMbps = scenario.ServerMbps,
            AgentUploadMbps = scenario.AgentUploadMbps,
        }, scenario.Seed, Origin.UtcTicks);
        moonArtifacts.Stored += sha =>
        {
            if (sha != _artifactId || _mirrorHoldsAt is not null) return;
            _mirrorHoldsAt = _time.GetUtcNow();
            _swarm.MirrorHolds(_time.GetUtcNow().UtcTicks);
        };
        _moonEnd = moonEnd;
        _loss = new LossLedger(_time, Origin, _link.Conditions, _link, (_earth, earthEnd), (_moon, moonEnd));
        _executor = NewExecutor(breakRedundancyForTesting);
        _monitor = new ExecutionMonitor(_executor, _time, () => _trust, _policy)
        {
            ExecutorDeafBetween = (from, to) => _moonDown.Any(d => d.Down < to && (d.Up ?? DateTimeOffset.MaxValue) > from),
        };
        var servers = FleetLayout.Of(scenario);
        _tierOf = servers.ToDictionary(x => x.Id, x => x.Tier, StringComparer.Ordinal);
        foreach (var x in servers.Where(x => x.Staging)) _staging.Add(x.Id);
        _fleet = new SimulatedFleet(_executor, _time, servers, new FleetBehaviour
        {
            MeanUpgrade = TimeSpan.FromMinutes(scenario.MeanMinutes),
            FailureRate = scenario.FailureRate,
            Rollback = TimeSpan.FromMinutes(scenario.RollbackMinutes),
        }, scenario.Seed) { Swarm = _swarm };
        for (var i = 0; i < _tier1.Count; i++)
        {
            var node = _tier1[i].Node;
            var executor = new Executor(node.Replica, _executorOptions, _policy) { IgnoreRedundancyGroupsForTesting = _breakRedundancy };
            executor.StatusWritten += OnStatus;
            executor.AnomalyPaused += _ => _resumeAt ??= Now + TimeSpan.FromMinutes(_s.AnomalyReviewMinutes);
            _monitor.Watch(executor);
            _fleet.UseTier1Executor(executor, servers.Where(x => x.Executor == node.Id).Select(x => x.Id));
            _tier1[i] = (node, executor);
        }
        // The instant contact returns (the link's own event, not the next step), start timing Earth's catch-up.
        _link.A.StateChanged += up => { if (up && _earth.Up && _moon.Up) WatchCatchUp(Now); };
        _earth.Received += o => CheckSigned(_earth, o);
        _moon.Received += o => CheckSigned(_moon, o);
    }

    private readonly List<(SimNode Node, Executor Executor)> _tier1 = [];

    private bool _breakRedundancy;
    private readonly List<(DateTimeOffset Down, DateTimeOffset? Up)> _moonDown = [];

    private Executor NewExecutor(bool breakRedundancy = false)
    {
        _breakRedundancy |= breakRedundancy;
        var e = new Executor(_moon.Replica, _executorOptions, _policy) { IgnoreRedundancyGroupsForTesting = _breakRedundancy };
        e.StatusWritten += OnStatus;
        e.AnomalyPaused += _ => _resumeAt ??= Now + TimeSpan.FromMinutes(_s.AnomalyReviewMinutes);
        return e;
    }

    private int ViolationCount => _violations.Count + _monitor.Violations.Count;

    private TimeSpan Now => _time.GetUtcNow() - Origin;

    private double Hours => Now.TotalHours;

    /// <summary>
    /// Advances one step. A sample due inside the step is taken just before its instant, so each sample covers
    /// [previous, this) and what happens exactly at a sample time (contact returning, say) counts in the next interval.
    /// Splitting the advance changes nothing else: the clock fires the same timers in the same order.
    /// </summary>
    private void AdvanceAndSample(ref TimeSpan nextSample)
    {
        var target = Now + Step;
        // Every download that starts in this step was planned when its pre-check began: the swarm runs ahead to the step's
        // end and hands each finished download to the clock at its own instant.
        _swarm.AdvanceTo((Origin + target).UtcTicks);
        if (target < nextSample) { _time.Advance(Step); return; }
        _time.Advance(nextSample - Now - TimeSpan.FromTicks(1));
        Sample(nextSample);
        nextSample += SampleEvery;
        _time.Advance(target - Now);
    }

    public RunResult Run()
    {
        try { return RunToEnd(); }
        finally { Dispose(); }
    }

    /// <summary>Stops both nodes' transfers and removes the run's scratch folder (the artifact's copies).</summary>
    public void Dispose()
    {
        _earth.Artifacts?.Stop();
        _moon.Artifacts?.Stop();
        ArtifactOrigin.Remove(_scratch);
    }

    /// <summary>Counts an artifact chunk or artifact status bundle as it goes on the wire.</summary>
    private static void CountArtifact(ReadOnlyMemory<byte> bundle, ref long chunkBytes, ref long statusBytes)
    {
        var kind = BundleCodec.PeekHeader(bundle.Span)?.Kind;
        if (kind == BundleKind.ArtifactChunk) chunkBytes += bundle.Length;
        else if (kind == BundleKind.ArtifactStatus) statusBytes += bundle.Length;
    }

    private RunResult RunToEnd()
    {
        Setup();
        var events = new Queue<ScenarioEvent>(_s.Events);
        var restarts = new List<(TimeSpan At, SimNode Node)>();
        Sample(Now);
        var nextSample = SampleEvery;
        while (Now < _s.Limit && ViolationCount == 0 && _campaignHours is null)
        {
            while (events.Count > 0 && events.Peek().At <= Now) Apply(events.Dequeue(), restarts);
            foreach (var r in restarts.Where(r => r.At <= Now).ToArray()) { Restart(r.Node); restarts.Remove(r); }
            if (_resumeAt is { } at && at <= Now) { _resumeAt = null; _moon.Replica.Control(CampaignId, CampaignControl.Run, "moon-ops", "anomaly reviewed"); }
            if (_moon.Up) _executor.Tick();
            foreach (var (_, executor) in _tier1) executor.Tick();
            _fleet.PollAssignments(moonUp: _moon.Up);
            TrackLag();
            AdvanceAndSample(ref nextSample);
        }
        var converged = Heal();
        Sample(Now);
        return Result(converged);
    }
}
