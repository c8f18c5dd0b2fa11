using System.Globalization;
using System.Text;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Agent.Runner;

/// <summary>The agent's few numbers, served as Prometheus text on /metrics.</summary>
public sealed class AgentMetrics
{
    private long _reports;
    private long _rollbacks;
    private long _retries;
    private volatile string _phase = UpgradePhase.Idle.ToName();

    /// <summary>The artifact fetcher's traffic so far (null until it starts).</summary>
    public Func<Artifacts.ArtifactTraffic>? Traffic { get; set; }

    public string Phase { get => _phase; set => _phase = value; }

    public long ReportsAcknowledged => Interlocked.Read(ref _reports);

    public void ReportAcknowledged() => Interlocked.Increment(ref _reports);

    public void ReportRetried() => Interlocked.Increment(ref _retries);

    public void RolledBack() => Interlocked.Increment(ref _rollbacks);

    public string Render()
    {
        var s = new StringBuilder();
        s.Append("# HELP lunar_agent_phase The server's current upgrade phase as this agent sees it (1 = current).\n");
        s.Append("# TYPE lunar_agent_phase gauge\n");
        var current = Phase;
        foreach (var p in Enum.GetValues<UpgradePhase>())
            s.Append(CultureInfo.InvariantCulture, $"lunar_agent_phase{{phase=\"{p.ToName()}\"}} {(p.ToName() == current ? 1 : 0)}\n");
        Counter(s, "lunar_agent_reports_total", "Reports the node acknowledged.", ReportsAcknowledged);
        Counter(s, "lunar_agent_report_retries_total", "Report sends retried because the node did not answer or answered 5xx.", Interlocked.Read(ref _retries));
        Counter(s, "lunar_agent_rollbacks_total", "Rollbacks this agent carried out (since start).", Interlocked.Read(ref _rollbacks));
        var t = Traffic?.Invoke() ?? default;
        s.Append("# HELP lunar_agent_artifact_bytes_total Artifact bytes received, by source: peer (other servers) or mirror (its seeder and its HTTP fallback).\n");
        s.Append("# TYPE lunar_agent_artifact_bytes_total counter\n");
        s.Append(CultureInfo.InvariantCulture, $"lunar_agent_artifact_bytes_total{{source=\"peer\"}} {t.FromPeers}\n");
        s.Append(CultureInfo.InvariantCulture, $"lunar_agent_artifact_bytes_total{{source=\"mirror\"}} {t.FromMirror}\n");
        Counter(s, "lunar_agent_artifact_mirror_http_bytes_total", "Of the mirror's bytes, those fetched over its HTTP content endpoint (fallback).", t.FromMirrorHttp);
        Counter(s, "lunar_agent_artifact_uploaded_bytes_total", "Artifact bytes this agent uploaded to peers.", t.Uploaded);
        return s.ToString();
    }

    private static void Counter(StringBuilder s, string name, string help, long value) =>
        s.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
}
