using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Prometheus;

namespace Lunar.Dtn.Hosting.Metrics;

/// <summary>
/// The node's Prometheus series (all named <c>lunar_...</c>), in a registry of its own so that several nodes in one
/// process (tests) never mix their numbers. Events the node only sees once (a phase ending, a rollback) are counted
/// as they happen, from the executor's status writes; everything the replica or the links already hold (progress,
/// link state, outbox, traffic) is read from them just before each scrape, so the figures cannot drift.
/// </summary>
public sealed class NodeMetrics
{
    private static readonly string[] Kinds = Enum.GetValues<BundleKind>().Select(KindName).ToArray();
    private static readonly string[] Priorities = ["control", "status", "bulk"];

    private readonly Replica _replica;
    private readonly NodeLinks _links;
    private readonly QuorumPolicy _policy;

    private readonly Gauge _campaignServers;
    private readonly Gauge _campaignState;
    private readonly Gauge _campaignProgress;
    private readonly Histogram _phaseSeconds;
    private readonly Counter _failures;
    private readonly Counter _rollbacks;
    private readonly Counter _completions;
    private readonly Gauge _linkUp;
    private readonly Gauge _sinceContact;
    private readonly Counter _bundlesSent;
    private readonly Counter _bytesSent;
    private readonly Counter _bundlesReceived;
    private readonly Counter _bytesReceived;
    private readonly Counter _rejected;
    private readonly Counter _retransmissions;
    private readonly Gauge _outboxDeltas;
    private readonly Gauge _outboxBytes;
    private readonly Gauge _outboxBundles;
    private readonly Gauge _lag;
    private readonly Gauge _deltasKnown;
    private readonly Gauge _auditEntries;
    private readonly Gauge _conflicts;
    private readonly Gauge _certificateExpiry;
    private readonly Gauge _certificatesExpiring;
    private readonly NodeIdentity? _me;
    private HashSet<(string Principal, string Kind)> _expirySeries = [];

    public NodeMetrics(Replica replica, NodeLinks links, QuorumPolicy policy, Executor? executor = null, NodeIdentity? me = null)
    {
        _me = me;
        _replica = replica;
        _links = links;
        _policy = policy;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _campaignServers = f.CreateGauge("lunar_campaign_servers", "Servers targeted by a campaign, by the phase they are in for it (as this replica knows it).", "campaign", "phase");
        _campaignState = f.CreateGauge("lunar_campaign_state", "1 for the campaign's derived state (draft, awaiting-approval, ready, running, paused, cancelled, completed), 0 for the others.", "campaign", "state");
        _campaignProgress = f.CreateGauge("lunar_campaign_finished_ratio", "Share of a campaign's targeted servers that are finished (complete or rolled back), 0-1.", "campaign");
        _phaseSeconds = f.CreateHistogram("lunar_phase_duration_seconds", "Time a server spent in an upgrade phase, measured by the executor when the next phase was written.",
            new HistogramConfiguration { LabelNames = ["phase"], Buckets = Histogram.ExponentialBuckets(0.1, 3, 12) });
        _failures = f.CreateCounter("lunar_upgrade_failures_total", "Upgrade attempts that failed or timed out on this executor, by the phase they ended in.", "campaign", "phase");
        _rollbacks = f.CreateCounter("lunar_rollbacks_total", "Servers rolled back by this executor's agents.", "campaign");
        _completions = f.CreateCounter("lunar_upgrades_completed_total", "Servers this executor saw complete an upgrade.", "campaign");
        _linkUp = f.CreateGauge("lunar_link_up", "1 while the link session to the peer is up.", "peer");
        _sinceContact = f.CreateGauge("lunar_link_seconds_since_contact", "Seconds since a valid bundle last arrived from the peer (grows through a blackout); -1 when never.", "peer");
        _bundlesSent = f.CreateCounter("lunar_bundles_sent_total", "Bundles sent to the peer, by kind and priority.", "peer", "kind", "priority");
        _bytesSent = f.CreateCounter("lunar_bundle_bytes_sent_total", "Bytes of bundles sent to the peer (framing and signature included), by kind and priority.", "peer", "kind", "priority");
        _bundlesReceived = f.CreateCounter("lunar_bundles_received_total", "Bundles received from the peer, by kind (one refused before its header could be read counts only as a verification failure).", "peer", "kind");
        _bytesReceived = f.CreateCounter("lunar_bundle_bytes_received_total", "Bytes of bundles received from the peer, by kind.", "peer", "kind");
        _rejected = f.CreateCounter("lunar_bundle_verification_failures_total", "Bundles refused (bad signature, unknown or revoked signer, wrong destination, expired, malformed...), by reason.", "peer", "reason");
        _retransmissions = f.CreateCounter("lunar_retransmissions_total", "Pushes repeated because the peer did not acknowledge in time.", "peer");
        _outboxDeltas = f.CreateGauge("lunar_outbox_deltas", "Deltas held in custody that the peer has not acknowledged, by channel.", "peer", "channel");
        _outboxBytes = f.CreateGauge("lunar_outbox_bytes", "Bytes this node would send the peer now, by priority.", "peer", "priority");
        _outboxBundles = f.CreateGauge("lunar_outbox_bundles", "Bundles this node would send the peer now, by priority.", "peer", "priority");
        _lag = f.CreateGauge("lunar_replica_lag_deltas", "How far behind this node believes the peer is: deltas it knows that the peer has not acknowledged.", "peer");
        _deltasKnown = f.CreateGauge("lunar_replica_deltas", "Deltas this replica knows (the sum of its version vector).");
        _auditEntries = f.CreateGauge("lunar_audit_entries", "Entries in the merged audit log.");
        _conflicts = f.CreateGauge("lunar_control_conflicts", "Concurrent control writes resolved (cancel > pause > run), as audited by every replica.");
        _certificateExpiry = f.CreateGauge("lunar_certificate_expiry_seconds", "Seconds until a certificate stops acting: each principal's tlsNotAfter in the constellation " +
            "version in force (kind node, approver, operator, agent; revoked principals are dropped), and this node's own X.509 notAfter (kind x509). Negative once passed.", "principal", "kind");
        _certificatesExpiring = f.CreateGauge("lunar_certificates_expiring", "Certificates (of lunar_certificate_expiry_seconds) that stop acting within 60 days: renew them with 'constellation renew'.");
        Registry.AddBeforeCollectCallback(Refresh);
        if (executor is not null) executor.StatusWritten += OnStatusWritten;
    }

    /// <summary>The registry /metrics exposes.</summary>
    public CollectorRegistry Registry { get; }

    private void OnStatusWritten(string serverId, ServerStatus? before, ServerStatus after, ReplicaState state)
    {
        // Only a change of phase within one attempt ends a phase; a new attempt starts afresh.
        if (before is not null && before.CampaignId == after.CampaignId && before.Attempt == after.Attempt && before.Phase != after.Phase)
            _phaseSeconds.WithLabels(before.Phase.ToName()).Observe(Math.Max(0, after.SinceMs - before.SinceMs) / 1000.0);
        if (before?.Phase == after.Phase && before.Attempt == after.Attempt) return;
        switch (after.Phase)
        {
            case UpgradePhase.Failed or UpgradePhase.TimedOut:
                _failures.WithLabels(after.CampaignId, after.Phase.ToName()).Inc();
                break;
            case UpgradePhase.RolledBack:
                _rollbacks.WithLabels(after.CampaignId).Inc();
                break;
            case UpgradePhase.Complete:
                _completions.WithLabels(after.CampaignId).Inc();
                break;
        }
    }

    private void Refresh()
    {
        RefreshCampaigns();
        RefreshLinks();
        RefreshCertificates();
    }

    private void RefreshCertificates()
    {
        if (_me is null) return;
        var all = CertificateExpiry.All(_replica.Trust, _me, _replica.Time.GetUtcNow());
        var now = new HashSet<(string, string)>();
        foreach (var e in all)
        {
            _certificateExpiry.WithLabels(e.Principal, e.Kind).Set(e.SecondsLeft);
            now.Add((e.Principal, e.Kind));
        }
        // A principal revoked (or dropped) since the last scrape: its series goes, rather than freezing at its last value.
        foreach (var (principal, kind) in _expirySeries.Where(x => !now.Contains(x))) _certificateExpiry.RemoveLabelled(principal, kind);
        _expirySeries = now;
        _certificatesExpiring.Set(all.Count(e => e.Due));
    }

    private void RefreshCampaigns()
    {
        var trust = _replica.Trust;
        var (views, audit, conflicts, deltas) = _replica.Read((s, v) => (
            s.Campaigns.Keys.Select(id => CampaignView.Build(s, id, trust, _policy)).OfType<CampaignView>().ToArray(),
            s.Audit.Count,
            s.Audit.Values.Count(a => a.Action == "control-conflict"),
            v.Total));
        _deltasKnown.Set(deltas);
        _auditEntries.Set(audit);
        _conflicts.Set(conflicts);
        foreach (var c in views)
        {
            foreach (var phase in Enum.GetValues<UpgradePhase>().Select(p => p.ToName()))
                _campaignServers.WithLabels(c.Id, phase).Set(c.Progress.GetValueOrDefault(phase));
            foreach (var state in Enum.GetValues<CampaignState>().Select(st => st.ToName()))
                _campaignState.WithLabels(c.Id, state).Set(state == c.State ? 1 : 0);
            var total = c.Progress.Values.Sum();
            var finished = c.Progress.GetValueOrDefault("complete") + c.Progress.GetValueOrDefault("rolled-back");
            _campaignProgress.WithLabels(c.Id).Set(total == 0 ? 0 : (double)finished / total);
        }
    }

    private void RefreshLinks()
    {
        var now = _replica.Time.GetUtcNow();
        var vector = _replica.Vector;
        var live = _links.Peers.ToDictionary(p => p.Link.PeerId, StringComparer.Ordinal);
        foreach (var peer in _replica.KnownPeers.Union(live.Keys).Distinct(StringComparer.Ordinal))
        {
            var acked = _replica.AckedBy(peer);
            _lag.WithLabels(peer).Set(vector.CountMissingFrom(acked));
            _outboxDeltas.WithLabels(peer, "control").Set(Missing(vector, acked, Channel.Control));
            _outboxDeltas.WithLabels(peer, "status").Set(Missing(vector, acked, Channel.Status));
            var outbox = _replica.Outbox(peer);
            for (var p = 0; p < Priorities.Length; p++)
            {
                _outboxBytes.WithLabels(peer, Priorities[p]).Set(outbox.Bytes[p]);
                _outboxBundles.WithLabels(peer, Priorities[p]).Set(outbox.Bundles[p]);
            }
            if (!live.TryGetValue(peer, out var l))
            {
                _linkUp.WithLabels(peer).Set(0);
                _sinceContact.WithLabels(peer).Set(-1);
                continue;
            }
            _linkUp.WithLabels(peer).Set(l.Link.IsUp ? 1 : 0);
            _sinceContact.WithLabels(peer).Set(l.Sync.LastContact is { } c ? Math.Round((now - c).TotalSeconds, 3) : -1);
            CopyTraffic(peer, l.Sync.Counters);
        }
    }

    private void CopyTraffic(string peer, SyncCounters c)
    {
        for (var k = 0; k < Kinds.Length; k++)
        {
            for (var p = 0; p < Priorities.Length; p++)
            {
                _bundlesSent.WithLabels(peer, Kinds[k], Priorities[p]).IncTo(c.BundlesSentByKind[k, p]);
                _bytesSent.WithLabels(peer, Kinds[k], Priorities[p]).IncTo(c.BytesSentByKind[k, p]);
            }
            _bundlesReceived.WithLabels(peer, Kinds[k]).IncTo(c.BundlesReceivedByKind[k]);
            _bytesReceived.WithLabels(peer, Kinds[k]).IncTo(c.BytesReceivedByKind[k]);
        }
        foreach (var (code, n) in c.RejectedByCode) _rejected.WithLabels(peer, ReasonName(code)).IncTo(n);
        _retransmissions.WithLabels(peer).IncTo(c.Retransmissions);
    }

    private static long Missing(VersionVector mine, VersionVector theirs, Channel channel) =>
        mine.Entries.Where(e => e.Stream.Channel == channel).Sum(e => Math.Max(0, e.Seq - theirs.Get(e.Stream)));

    private static string KindName(BundleKind k) => k switch
    {
        BundleKind.Deltas => "deltas",
        BundleKind.Ack => "ack",
        BundleKind.Snapshot => "snapshot",
        BundleKind.ArtifactChunk => "artifact-chunk",
        _ => k.ToString().ToLowerInvariant(),
    };

    private static string ReasonName(RejectionCode code) =>
        string.Concat(code.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
