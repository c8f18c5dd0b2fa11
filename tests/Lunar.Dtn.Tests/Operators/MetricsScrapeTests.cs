using Lunar.Dtn.Tests.Api;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// /metrics on a real Earth and Moon (in-process Kestrel, LiteDB, the TCP link between them): valid Prometheus text,
/// our series named lunar_..., and the key series moving as a campaign runs and agents report.
/// </summary>
public sealed class MetricsScrapeTests
{
    private const string Sha = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

    private static async Task<PrometheusText> ScrapeAsync(InProcessNode node)
    {
        using var r = await node.Http.GetAsync("/metrics");
        Assert.Equal(200, (int)r.StatusCode);
        Assert.StartsWith("text/plain", r.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var m = PrometheusText.Parse(await r.Content.ReadAsStringAsync());
        Assert.All(m.Names, n => Assert.StartsWith("lunar_", n, StringComparison.Ordinal));
        return m;
    }

    [Fact]
    public async Task Metrics_AsACampaignRuns_ProgressPhaseDurationsFailuresRollbacksAndTrafficMove()
    {
        var pair = new LinkedPairFixture();
        await pair.InitializeAsync();
        try
        {
            var moonBefore = await ScrapeAsync(pair.Moon);
            Assert.Equal(1, moonBefore["lunar_link_up{peer=\"earth\"}"]);
            var earthSentBefore = (await ScrapeAsync(pair.Earth)).Sum("lunar_bundle_bytes_sent_total", "peer=\"moon\"");

            Assert.Equal(201, (await pair.Earth.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 })).Status);
            var (_, created) = await pair.Earth.PostAsync("/api/v1/campaigns", new { name = "metrics", artifactId = Sha, approvalRequired = false });
            var campaign = created.GetProperty("id").GetString()!;
            Assert.Equal(200, (await pair.Earth.PostAsync($"/api/v1/campaigns/{campaign}/start", null)).Status);

            var ok = new ScriptedAgent(pair.Moon.Http, "srv-m-ok");
            var bad = new ScriptedAgent(pair.Moon.Http, "srv-m-bad");
            await ok.RegisterAsync("peary", 3);
            await bad.RegisterAsync("peary", 3);
            await ok.TakeAssignmentAsync(TimeSpan.FromSeconds(30));
            await bad.TakeAssignmentAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(campaign, ok.CampaignId);

            // Control deltas crossed from Earth: Earth sent deltas at control priority, the Moon received them.
            var earthMid = await ScrapeAsync(pair.Earth);
            Assert.True(earthMid.Sum("lunar_bundle_bytes_sent_total", "peer=\"moon\"") > earthSentBefore, "earth's bytes sent to the moon did not grow");
            Assert.True(earthMid.Sum("lunar_bundles_sent_total", "peer=\"moon\"", "kind=\"deltas\"", "priority=\"control\"") > 0, "no control-priority deltas bundle counted");
            var moonMid = await ScrapeAsync(pair.Moon);
            Assert.True(moonMid.Sum("lunar_bundles_received_total", "peer=\"earth\"", "kind=\"deltas\"") > 0, "the moon counted no deltas bundle from earth");
            Assert.Equal(1, moonMid[$"lunar_campaign_state{{campaign=\"{campaign}\",state=\"running\"}}"]);
            Assert.Equal(2, moonMid[$"lunar_campaign_servers{{campaign=\"{campaign}\",phase=\"queued\"}}"]);

            await ok.RunAsync(ScriptedAgent.SuccessPath);
            await bad.RunAsync(ScriptedAgent.FailurePath);

            var moon = await ScrapeAsync(pair.Moon);
            Assert.Equal(1, moon[$"lunar_campaign_servers{{campaign=\"{campaign}\",phase=\"complete\"}}"]);
            Assert.Equal(1, moon[$"lunar_campaign_servers{{campaign=\"{campaign}\",phase=\"rolled-back\"}}"]);
            Assert.Equal(0, moon[$"lunar_campaign_servers{{campaign=\"{campaign}\",phase=\"queued\"}}"]);
            Assert.Equal(1, moon[$"lunar_campaign_finished_ratio{{campaign=\"{campaign}\"}}"]);
            Assert.Equal(1, moon[$"lunar_campaign_state{{campaign=\"{campaign}\",state=\"completed\"}}"]);
            Assert.Equal(1, moon[$"lunar_rollbacks_total{{campaign=\"{campaign}\"}}"]);
            Assert.Equal(1, moon[$"lunar_upgrade_failures_total{{campaign=\"{campaign}\",phase=\"failed\"}}"]);
            Assert.Equal(1, moon[$"lunar_upgrades_completed_total{{campaign=\"{campaign}\"}}"]);
            // Every phase both servers left was timed: applying twice, smoke-test once (the good one).
            Assert.Equal(2, moon["lunar_phase_duration_seconds_count{phase=\"applying\"}"]);
            Assert.Equal(1, moon["lunar_phase_duration_seconds_count{phase=\"smoke-test\"}"]);
            Assert.Equal(2, moon["lunar_phase_duration_seconds_bucket{phase=\"applying\",le=\"+Inf\"}"]);

            // The status crosses to Earth: its replica shows the same progress, and the Moon's status bytes went out.
            await Eventually.Holds(() => ScrapeAsync(pair.Earth).Result[$"lunar_campaign_servers{{campaign=\"{campaign}\",phase=\"complete\"}}"] == 1,
                "earth's metrics to show the completed server");
            var earth = await ScrapeAsync(pair.Earth);
            Assert.Equal(1, earth[$"lunar_campaign_servers{{campaign=\"{campaign}\",phase=\"rolled-back\"}}"]);
            Assert.True(earth.Sum("lunar_bundle_bytes_received_total", "peer=\"moon\"", "kind=\"deltas\"") > 0, "earth counted no deltas bytes from the moon");
            Assert.True((await ScrapeAsync(pair.Moon)).Sum("lunar_bundles_sent_total", "peer=\"earth\"", "priority=\"status\"") > 0, "the moon sent nothing at status priority");
            await Eventually.Holds(() => ScrapeAsync(pair.Moon).Result["lunar_replica_lag_deltas{peer=\"earth\"}"] == 0, "the moon to see earth caught up (lag 0)");
            Assert.Equal(0, earth.Sum("lunar_bundle_verification_failures_total"));
        }
        finally
        {
            await pair.DisposeAsync();
        }
    }

    [Fact]
    public async Task Readiness_OnAMoonNode_ChecksStoreExecutorAndLinks()
    {
        await using var moon = await InProcessNode.StartAsync(Lunar.Dtn.Hosting.NodeRole.Moon, "moon");
        var ready = await moon.GetJsonAsync("/healthz/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("open", ready.GetProperty("checks").GetProperty("store").GetString());
        Assert.Equal("running", ready.GetProperty("checks").GetProperty("executor").GetString());
        Assert.Equal("live", (await moon.GetJsonAsync("/healthz")).GetProperty("status").GetString());
    }
}
