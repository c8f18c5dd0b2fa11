using Lunar.Dtn.Model;
using Prometheus;

namespace Lunar.Dtn.Agent.Runner;

/// <summary>
/// The agent's series on /metrics (prometheus-net, a registry of its own, named lunar_agent_... like the node's
/// lunar_...): the phase it is in, how long each phase took, reports acknowledged and retried, rollbacks.
/// </summary>
public sealed class AgentMetrics
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Gauge _phase;
    private readonly Histogram _phaseSeconds;
    private readonly Counter _reports;
    private readonly Counter _retries;
    private readonly Counter _rollbacks;
    private string _current = UpgradePhase.Idle.ToName();
    private long _since;

    public AgentMetrics(TimeProvider time)
    {
        _time = time;
        _since = time.GetTimestamp();
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _phase = f.CreateGauge("lunar_agent_phase", "The server's current upgrade phase as this agent sees it (1 = current).", "phase");
        _phaseSeconds = f.CreateHistogram("lunar_agent_phase_duration_seconds", "Time this agent's server spent in each phase it left (since start).",
            new HistogramConfiguration { LabelNames = ["phase"], Buckets = Histogram.ExponentialBuckets(0.1, 3, 12) });
        _reports = f.CreateCounter("lunar_agent_reports_total", "Reports the node acknowledged.");
        _retries = f.CreateCounter("lunar_agent_report_retries_total", "Report sends retried because the node did not answer or answered 5xx.");
        _rollbacks = f.CreateCounter("lunar_agent_rollbacks_total", "Rollbacks this agent carried out (since start).");
        foreach (var p in Enum.GetValues<UpgradePhase>()) _phase.WithLabels(p.ToName()).Set(p == UpgradePhase.Idle ? 1 : 0);
        var artifactBytes = f.CreateCounter("lunar_agent_artifact_bytes_total",
            "Artifact bytes received, by source: peer (other servers) or mirror (its seeder and its HTTP fallback).", "source");
        var mirrorHttp = f.CreateCounter("lunar_agent_artifact_mirror_http_bytes_total", "Of the mirror's bytes, those fetched over its HTTP content endpoint (fallback).");
        var uploaded = f.CreateCounter("lunar_agent_artifact_uploaded_bytes_total", "Artifact bytes this agent uploaded to peers.");
        // The fetcher keeps its own totals; they are copied in at each scrape.
        Registry.AddBeforeCollectCallback(() =>
        {
            var t = Traffic?.Invoke() ?? default;
            artifactBytes.WithLabels("peer").IncTo(t.FromPeers);
            artifactBytes.WithLabels("mirror").IncTo(t.FromMirror);
            mirrorHttp.IncTo(t.FromMirrorHttp);
            uploaded.IncTo(t.Uploaded);
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The artifact fetcher's traffic so far (null until it starts).</summary>
    public Func<Artifacts.ArtifactTraffic>? Traffic { get; set; }

    /// <summary>The current phase; setting a different one ends the previous phase (its duration goes into the histogram).</summary>
    public string Phase
    {
        get { lock (_gate) return _current; }
        set
        {
            lock (_gate)
            {
                if (value == _current) return;
                var now = _time.GetTimestamp();
                _phaseSeconds.WithLabels(_current).Observe(_time.GetElapsedTime(_since, now).TotalSeconds);
                _phase.WithLabels(_current).Set(0);
                _phase.WithLabels(value).Set(1);
                _current = value;
                _since = now;
            }
        }
    }

    public long ReportsAcknowledged => (long)_reports.Value;

    public void ReportAcknowledged() => _reports.Inc();

    public void ReportRetried() => _retries.Inc();

    public void RolledBack() => _rollbacks.Inc();

    /// <summary>Prometheus text exposition (format 0.0.4).</summary>
    public async Task<string> RenderAsync(CancellationToken ct)
    {
        using var text = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(text, ct).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }
}
