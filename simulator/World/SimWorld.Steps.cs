using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Simulator.Invariants;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.World;

public sealed partial class SimWorld
{
    /// <summary>t = 0: the Moon's agents register; Earth registers the artifact, defines and starts the campaign; without approve events every approver signs.</summary>
    private void Setup()
    {
        _fleet.RegisterAll();
        var earth = _earth.Replica;
        earth.RegisterArtifact(new ArtifactRecord(_artifactId, "lunar-os", "2.4.0", _artifactId, _s.ArtifactBytes, "earth", 0), "mission-control");
        earth.DefineCampaign(CampaignId, "mission-control", ctx => new CampaignDefinition
        {
            Name = new(_s.Name, ctx.Stamp, ctx.ReplicaId),
            ArtifactId = new(_artifactId, ctx.Stamp, ctx.ReplicaId),
            Selector = new(CampaignSelector.All, ctx.Stamp, ctx.ReplicaId),
            BatchSize = new(_s.BatchSize, ctx.Stamp, ctx.ReplicaId),
            ConcurrencyLimit = new(_s.Concurrency, ctx.Stamp, ctx.ReplicaId),
            PauseOnAnomaly = new(_s.PauseOnAnomaly, ctx.Stamp, ctx.ReplicaId),
            Tier2Windows = new(_s.Tier2Windows, ctx.Stamp, ctx.ReplicaId),
            ApprovalRequired = new(_s.ApprovalRequired, ctx.Stamp, ctx.ReplicaId),
        });
        if (!_s.Events.Any(e => e.Action == "approve"))
            foreach (var (id, _) in Approvers) Approve(earth, id);
        earth.Control(CampaignId, CampaignControl.Run, "mission-control");
    }

    private void Approve(Replica at, string approver)
    {
        var role = Approvers.FirstOrDefault(a => a.Id == approver).Role ?? "unknown";
        var hash = at.Read((s, _) => s.Campaigns[CampaignId].Definition!.ContentHash(CampaignId));
        var ms = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var key = SimulationKeys.For(approver);
        var sig = key.Sign(ApprovalRecord.SigningBytes(CampaignId, hash, ApprovalDecision.Approve, approver, role, ms));
        at.AddApproval(new ApprovalRecord(ApprovalRecord.IdFor(sig), CampaignId, hash, ApprovalDecision.Approve, approver, role, ms, sig));
    }

    private void Apply(ScenarioEvent e, List<(TimeSpan, SimNode)> restarts)
    {
        var node = e.Node == "earth" ? _earth : _moon;
        if (!node.Up) return; // a crashed node takes no operator action
        var r = node.Replica;
        var actor = $"{e.Node}-ops";
        switch (e.Action)
        {
            case "approve": Approve(r, e.Approver!); break;
            case "pause": r.Control(CampaignId, CampaignControl.Pause, actor); break;
            case "resume": r.Control(CampaignId, CampaignControl.Run, actor); break;
            case "cancel": r.Control(CampaignId, CampaignControl.Cancel, actor); break;
            case "emergency-stop": r.Control(CampaignId, CampaignControl.Pause, actor, "emergency stop"); break;
            case "crash":
                CheckpointBeforeCrash(node);
                _loss.Interrupt();
                node.Crash();
                if (node == _moon) { _fleet.NodeDown = true; _moonDown.Add((_time.GetUtcNow(), null)); _swarm.MirrorUp(false); }
                restarts.Add((Now + e.DownFor!.Value, node));
                break;
        }
    }

    private readonly Dictionary<string, VersionVector> _beforeCrash = new(StringComparer.Ordinal);

    private void CheckpointBeforeCrash(SimNode node) => _beforeCrash[node.Id] = node.Replica.Vector;

    /// <summary>Restarts a crashed node from its store and checks that nothing it had written or acknowledged was lost.</summary>
    private void Restart(SimNode node)
    {
        _loss.Interrupt();
        node.Start();
        var other = node == _earth ? _moon : _earth;
        var vector = node.Replica.Vector;
        if (_beforeCrash.TryGetValue(node.Id, out var before) && !vector.Dominates(before))
            _violations.Add(new Violation("noLostWrites", _time.GetUtcNow(), node.Id, $"restarted holding {vector}, less than the {before} it held durably before the crash"));
        if (other.Up && !vector.Dominates(other.Replica.AckedBy(node.Id)))
            _violations.Add(new Violation("noLostWrites", _time.GetUtcNow(), node.Id, $"restarted without deltas it had acknowledged to {other.Id}"));
        if (node == _moon)
        {
            if (_moonDown.Count > 0 && _moonDown[^1].Up is null) _moonDown[^1] = (_moonDown[^1].Down, _time.GetUtcNow());
            _executor = NewExecutor();
            _monitor.Watch(_executor);
            _fleet.UseExecutor(_executor);
            _swarm.MirrorUp(true);
        }
    }

    /// <summary>signedInputs: every bundle a replica accepted must verify independently against the constellation.</summary>
    private void CheckSigned(SimNode node, ReceiveOutcome outcome)
    {
        if (outcome.Status == ReceiveStatus.Rejected)
            _violations.Add(new Violation("signedInputs", _time.GetUtcNow(), node.Id, $"a bundle from a trusted peer was refused: {outcome.Rejection}"));
        else if (outcome.Source is not null && !_trust.NodeKey(outcome.Source).Ok)
            _violations.Add(new Violation("signedInputs", _time.GetUtcNow(), node.Id, $"accepted a bundle from '{outcome.Source}', which holds no trusted key"));
    }

    private readonly Dictionary<string, long> _startedAtMs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _staging = new(StringComparer.Ordinal);

    /// <summary>Busy hours the servers actually needed, per tier (0: the staging pool), for the lower bound.</summary>
    public Dictionary<int, double> Work { get; } = [];

    /// <summary>Busy hours from each server's download (or the artifact's arrival on the Moon, if later) to its final phase.</summary>
    public double WorkAfterArrival { get; private set; }

    /// <summary>The lower bound's crossing term: what the artifact needs at least to reach the Moon, and the work that must follow.</summary>
    public ArtifactCrossing Crossing => new(_s.OneWayDelaySeconds + _s.ArtifactBytes * 8.0 / (_s.BandwidthMbps * 1_000_000), WorkAfterArrival);

    private readonly Dictionary<string, long> _downloadingAtMs = new(StringComparer.Ordinal);

    private void OnStatus(string serverId, ServerStatus? before, ServerStatus after, ReplicaState state)
    {
        if (after.CampaignId != CampaignId) return;
        if (after.Phase == UpgradePhase.PreCheck && !_startedAtMs.ContainsKey(serverId)) _startedAtMs[serverId] = after.SinceMs;
        if (after.Phase == UpgradePhase.Downloading && !_downloadingAtMs.ContainsKey(serverId)) _downloadingAtMs[serverId] = after.SinceMs;
        if (!after.Phase.IsFinal() || _final.ContainsKey(serverId)) return;
        var key = _staging.Contains(serverId) ? 0 : _tierOf[serverId];
        if (_startedAtMs.TryGetValue(serverId, out var startMs))
        {
            // Time spent waiting for the artifact's first crossing is not work: the crossing bound of the lower bound counts it.
            var holdsMs = _mirrorHoldsAt?.ToUnixTimeMilliseconds() ?? after.SinceMs;
            var waitedMs = _downloadingAtMs.TryGetValue(serverId, out var dl) ? Math.Max(0, Math.Min(holdsMs, after.SinceMs) - dl) : 0;
            Work[key] = Work.GetValueOrDefault(key) + (after.SinceMs - startMs - waitedMs) / 3_600_000.0;
            if (_downloadingAtMs.TryGetValue(serverId, out dl)) WorkAfterArrival += Math.Max(0, after.SinceMs - Math.Max(dl, holdsMs)) / 3_600_000.0;
        }
        _final[serverId] = after.Phase;
        var tier = _tierOf[serverId];
        var n = _finalByTier[tier] = _finalByTier.GetValueOrDefault(tier) + 1;
        if (n == _tierOf.Values.Count(t => t == tier)) _tierDoneHours[tier] = Hours;
        if (_final.Count == _tierOf.Count) _campaignHours = Hours;
    }

    /// <summary>
    /// After a blackout: how long until Earth holds everything the Moon held when contact returned, against what a
    /// loss-free link would take (one light time plus the transmission of what the Moon pushed at that instant; nothing,
    /// if Earth already held it all), and the retransmissions and lost bundles in between.
    /// </summary>
    private void WatchCatchUp(TimeSpan blackoutEnd)
    {
        var target = _moon.Replica.Vector;
        var earth = _earth.Replica;
        var retransmissions = _earth.Retransmissions + _moon.Retransmissions;
        var lost = _loss.LostTotal;
        void Check()
        {
            if (!earth.Vector.Dominates(target)) return;
            earth.Changed -= Check;
            var seconds = Math.Round((Now - blackoutEnd).TotalSeconds, 3);
            _afterBlackout.Add(seconds);
            var lossFree = seconds == 0 ? 0 : Math.Round(_loss.LossFreeSeconds(_moonEnd.ContactPushBytes), 3);
            var extra = Math.Max(0, Math.Round(seconds - lossFree, 3));
            _catchUps.Add(new CatchUp(Math.Round(blackoutEnd.TotalHours, 4), seconds, lossFree, extra, _loss.RoundTrips(extra),
                _earth.Retransmissions + _moon.Retransmissions - retransmissions, _loss.LostTotal - lost));
        }
        earth.Changed += Check;
        Check();
    }

    private readonly LinkedList<(DateTimeOffset At, VersionVector Moon)> _moonHistory = new();

    /// <summary>Earth's lag: how old is the newest state of the Moon that Earth already holds whole (10 s resolution).</summary>
    private void TrackLag()
    {
        if (!_earth.Up || !_moon.Up) return;
        var now = _time.GetUtcNow();
        _moonHistory.AddLast((now, _moon.Replica.Vector));
        var earth = _earth.Replica.Vector;
        while (_moonHistory.First?.Next is { } next && earth.Dominates(next.Value.Moon)) _moonHistory.RemoveFirst();
        var oldest = _moonHistory.First!.Value;
        _earthCaughtUpAt = earth.Dominates(oldest.Moon) ? oldest.At : _earthCaughtUpAt;
        _maxLag = Math.Max(_maxLag, (now - _earthCaughtUpAt).TotalSeconds);
        _intervalMaxLag = Math.Max(_intervalMaxLag, (now - _earthCaughtUpAt).TotalSeconds);
    }

    private double _intervalMaxLag;

    /// <summary>
    /// One point of the time series behind the charts, taken every <see cref="SampleEvery"/> of virtual time (so the same
    /// scenario gives the same points, and a 14-day run holds at most ~1,350 of them): servers by phase as the Moon's
    /// replica holds them, cumulative Earth-link bytes per direction and kind, and Earth's lag (now and the worst since the last point).
    /// </summary>
    private void Sample(TimeSpan at)
    {
        var phases = _moon.Replica.Read((s, _) =>
        {
            var counts = new int[Enum.GetValues<UpgradePhase>().Length];
            foreach (var id in _tierOf.Keys)
            {
                var status = s.Servers.GetValueOrDefault(id)?.Status;
                counts[(int)(status is not null && status.CampaignId == CampaignId ? status.Phase : UpgradePhase.Idle)]++;
            }
            return counts;
        });
        var byName = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in Enum.GetValues<UpgradePhase>()) if (phases[(int)p] > 0) byName[p.ToName()] = phases[(int)p];
        var lag = Math.Round((_time.GetUtcNow() - _earthCaughtUpAt).TotalSeconds, 1);
        _timeline.Add(new TimelineSample(Math.Round(at.TotalHours, 3), byName, _link.A.BytesSent, _link.B.BytesSent,
            Kinds(_link.A.BytesByPriority), Kinds(_link.B.BytesByPriority), lag, Math.Max(lag, Math.Round(_intervalMaxLag, 1)), _link.IsUp));
        _intervalMaxLag = 0;
    }

    private static SortedDictionary<string, long> Kinds(long[] byPriority) => new(StringComparer.Ordinal)
    {
        ["control"] = byPriority[(int)Bundles.BundlePriority.Control],
        ["status"] = byPriority[(int)Bundles.BundlePriority.Status],
        ["bulk"] = byPriority[(int)Bundles.BundlePriority.Bulk],
    };

    /// <summary>The run is over: restart crashed nodes, let the link (outside blackouts) bring both replicas together.</summary>
    private bool Heal()
    {
        if (!_earth.Up) Restart(_earth);
        if (!_moon.Up) Restart(_moon);
        var limit = Now + TimeSpan.FromDays(30);
        while (Now < limit)
        {
            if (_earth.Replica.Vector.Equals(_moon.Replica.Vector) && _earth.Replica.Fingerprint() == _moon.Replica.Fingerprint() &&
                _tier1.All(t => t.Node.Replica.Vector.Equals(_moon.Replica.Vector) && t.Node.Replica.Fingerprint() == _moon.Replica.Fingerprint())) return true;
            _time.Advance(Step);
        }
        _violations.Add(new Violation("convergence", _time.GetUtcNow(), _tier1.Count == 0 ? "earth/moon" : "earth/moon/tier1", $"the replicas ({string.Join(", ", new[] { _earth, _moon }.Concat(_tier1.Select(t => t.Node)).Select(n => n.Id))}) did not converge within 30 days of the end of the run"));
        return false;
    }

    private LossSummary LossSummary() => new(_s.Loss, _loss.RoundTrip.TotalSeconds, _loss.LostEarthToMoon, _loss.LostMoonToEarth,
        _earth.Retransmissions, _moon.Retransmissions, _loss.Episodes, _loss.Interrupted, Math.Round(_loss.ExtraSecondsTotal, 3),
        _loss.Episodes == 0 ? 0 : _loss.RoundTrips(_loss.ExtraSecondsTotal / _loss.Episodes), _loss.ExtraRoundTripsMax,
        _loss.Histogram.ToArray(), _loss.KeptEpisodes.ToArray());

    private RunResult Result(bool converged)
    {
        var complete = _final.Values.Count(p => p == UpgradePhase.Complete);
        var rolledBack = _final.Values.Count(p => p == UpgradePhase.RolledBack);
        var failed = _moon.Replica.Read((s, _) => _tierOf.Keys.Count(id => s.Servers.GetValueOrDefault(id)?.Status is { Phase: UpgradePhase.Failed or UpgradePhase.TimedOut }));
        return new RunResult(_campaignHours is not null, _campaignHours is { } h ? Math.Round(h, 3) : null,
            _tierDoneHours.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => Math.Round(kv.Value, 3)),
            complete, rolledBack, failed, _tierOf.Count - _monitor.Starts,
            _link.A.BytesSent, _link.B.BytesSent, _link.A.BytesByPriority.ToArray(), _link.B.BytesByPriority.ToArray(),
            converged, Math.Round(_maxLag, 1), _afterBlackout,
            _violations.Concat(_monitor.Violations).OrderBy(v => v.At).ToArray(), _monitor.Starts,
            Math.Round(_monitor.LongestRollback.TotalSeconds, 1), _timeline, _catchUps, LossSummary(),
            new ArtifactFigures(_artifactId, _s.ArtifactBytes, _earthArtifactBytes, _earthArtifactStatusBytes, _moonArtifactStatusBytes,
                _mirrorHoldsAt is { } at ? Math.Round((at - Origin).TotalHours, 4) : null, _swarm.Figures(), Crossing));
    }
}
