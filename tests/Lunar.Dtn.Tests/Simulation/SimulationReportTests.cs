using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Lunar.Dtn.Links;
using Lunar.Dtn.Simulator.Report;
using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.World;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Simulation;

/// <summary>The run's output folder (charts, report.html, report.json) and the loss accounting in it.</summary>
public sealed class SimulationReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static Scenario Small(int seed = 7, double loss = 0, params Blackout[] blackouts) => ScenarioReader.Parse($$"""
        { "name": "small-report", "seed": {{seed}},
          "servers": { "count": 300, "stagingPool": 30 },
          "upgrade": { "meanMinutes": 20, "failureRate": 0.02 },
          "campaign": { "concurrency": 20, "batchSize": 10 } }
        """) with { Loss = loss, Blackouts = blackouts.Length == 0 ? [new Blackout(TimeSpan.FromHours(2), TimeSpan.FromHours(1))] : blackouts };

    private static (Dictionary<string, object?> Report, RunResult Result) WriteRun(Scenario s, string dir)
    {
        var world = new SimWorld(s);
        var result = world.Run();
        return (ReportWriter.Write(dir, s, result, world.Work, simulateSeconds: 1), result);
    }

    [Fact]
    public void Write_ARun_DrawsThreePngChartsAndAnHtmlPageThatShowsThemWithTheFigures()
    {
        using var dir = new TempDir("sim-report");
        var s = Small();
        var (report, result) = WriteRun(s, dir.Path);
        Assert.True(result.Completed);

        var charts = Assert.IsAssignableFrom<IReadOnlyList<string>>(report["charts"]);
        Assert.Equal([ChartWriter.PhasesFile, ChartWriter.BytesFile, ChartWriter.LagFile], charts);
        foreach (var chart in charts)
        {
            var bytes = File.ReadAllBytes(dir.Sub(chart));
            Assert.True(bytes.AsSpan(0, 8).SequenceEqual(PngSignature), $"{chart} is not a PNG");
            Assert.True(bytes.Length > 20_000, $"{chart} is only {bytes.Length} bytes: an empty chart?");
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
            Assert.Equal(1000, width);
            Assert.True(height >= 400, $"{chart} is {width}×{height}");
        }

        var html = File.ReadAllText(dir.Sub(ReportWriter.HtmlFile));
        foreach (var chart in charts) Assert.Contains($"<img src=\"{chart}\"", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("Every invariant held.", html);
        Assert.Contains(((double)report["lowerBoundHours"]!).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), html);
        Assert.Contains("what no scheduler could beat", html);
        Assert.Contains("300 servers at 3 sites", html);
        Assert.Contains("tier1Quorum", html);
        Assert.Contains("caught up after (s)", html);
        // The scenario is shown as JSON that runs again: the same scenario comes back from it.
        var shown = System.Net.WebUtility.HtmlDecode(html.Split("<pre>")[1].Split("</pre>")[0]);
        Assert.Equal(ScenarioWriter.ToJson(s), ScenarioWriter.ToJson(ScenarioReader.Parse(shown)));

        var json = JsonNode.Parse(File.ReadAllText(dir.Sub(ReportWriter.JsonFile)))!;
        Assert.Equal(3, json["charts"]!.AsArray().Count);
        Assert.True((double)json["wall"]!["chartsSeconds"]! > 0, "the chart rendering time is measured under wall");
        Assert.True(json["timeline"]!.AsArray().Count >= result.Timeline.Count && result.Timeline.Count > 10);
    }

    [Fact]
    public void Write_SameScenarioAndSeedTwice_GivesTheSameReportChartsAndPage_WallFiguresAside()
    {
        using var a = new TempDir("sim-report-a");
        using var b = new TempDir("sim-report-b");
        var s = Small(9, loss: 0.02);
        WriteRun(s, a.Path);
        WriteRun(s, b.Path);

        static string WithoutWall(string path)
        {
            var o = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.NotNull(o["wall"]);
            o.Remove("wall");
            o.Remove("wallSeconds");
            return o.ToJsonString();
        }
        Assert.Equal(WithoutWall(Path.Combine(a.Path, ReportWriter.JsonFile)), WithoutWall(Path.Combine(b.Path, ReportWriter.JsonFile)));
        Assert.Equal(File.ReadAllText(a.Sub(ReportWriter.HtmlFile)), File.ReadAllText(b.Sub(ReportWriter.HtmlFile)));
        foreach (var chart in new[] { ChartWriter.PhasesFile, ChartWriter.BytesFile, ChartWriter.LagFile })
            Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(a.Sub(chart)))), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(b.Sub(chart)))));
    }

    [Fact]
    public void Run_LossFreeLink_CostsNoRetransmissionAndNoExtraRoundTrip()
    {
        var s = Small(11, loss: 0, new Blackout(TimeSpan.FromHours(1), TimeSpan.FromHours(1)), new Blackout(TimeSpan.FromHours(3), TimeSpan.FromMinutes(30)));
        var r = new SimWorld(s).Run();
        Assert.True(r.Completed);
        Assert.Equal(2, r.CatchUps.Count);
        foreach (var c in r.CatchUps)
        {
            Assert.Equal(0, c.Retransmissions);
            Assert.Equal(0, c.BundlesLost);
            Assert.Equal(0, c.ExtraRoundTrips);
            Assert.True(c.Seconds <= c.LossFreeSeconds + 0.001, $"caught up in {c.Seconds} s, the loss-free figure is {c.LossFreeSeconds} s");
            Assert.True(c.LossFreeSeconds >= s.OneWayDelaySeconds, $"a catch-up takes at least one light time (got {c.LossFreeSeconds} s)");
        }
        Assert.Equal(0, r.Loss.LostEarthToMoon + r.Loss.LostMoonToEarth);
        Assert.Equal(0, r.Loss.RetransmissionsByEarth + r.Loss.RetransmissionsByMoon);
        Assert.Equal(0, r.Loss.Episodes);
        Assert.Equal(0, r.Loss.ExtraSecondsTotal);
    }

    [Fact]
    public void Run_LossyLink_ShowsTheRetransmissionsAndExtraRoundTripsEachLossCost()
    {
        var s = Small(5, loss: 0.05);
        var r = new SimWorld(s).Run();
        Assert.True(r.Completed);
        Assert.Empty(r.Violations);
        Assert.True(r.Loss.LostEarthToMoon + r.Loss.LostMoonToEarth > 0, "a 5 % loss drops bundles");
        Assert.True(r.Loss.Episodes > 0 && r.Loss.RetransmissionsByEarth + r.Loss.RetransmissionsByMoon >= r.Loss.Episodes,
            $"{r.Loss.Episodes} episodes, {r.Loss.RetransmissionsByEarth} + {r.Loss.RetransmissionsByMoon} retransmissions");
        Assert.True(r.Loss.ExtraRoundTripsMax > 0 && r.Loss.ExtraSecondsTotal > 0, "losses delay delivery");
        var costly = r.Loss.FirstEpisodes.Where(e => e.ExtraRoundTrips > 0).ToArray();
        Assert.NotEmpty(costly);
        // A lost data bundle waits for a retransmission timeout (≥ one round trip here) before it is sent again.
        Assert.All(costly, e => Assert.True(e.Retransmissions >= 1 && e.ExtraSeconds >= s.OneWayDelaySeconds, $"{e}"));
        Assert.Equal(r.Loss.Episodes, r.Loss.ExtraRoundTripsHistogram.Sum());
        Assert.True(r.Loss.ExtraRoundTripsHistogram[0] > 0, "a lost acknowledgement costs a retransmission but no delay");
    }

    [Fact]
    public void Run_HeavyLossAfterBlackouts_ChargesTheCatchUpWithItsRetransmissionsAndRoundTrips()
    {
        // Half the bundles lost and six contacts: some catch-up pushes are lost and must be retransmitted.
        var blackouts = Enumerable.Range(0, 6).Select(i => new Blackout(TimeSpan.FromMinutes(30 + 40 * i), TimeSpan.FromMinutes(20))).ToArray();
        // A 1 MB artifact: at 50 % loss the chunk transfer of a 100 MB one would still be crossing, no server would change,
        // and there would be nothing to catch up.
        var r = new SimWorld(Small(3, loss: 0.5, blackouts) with { ArtifactMB = 1 }).Run();
        Assert.Empty(r.Violations);
        Assert.True(r.Converged);
        Assert.Contains(r.CatchUps, c => c.Retransmissions > 0 && c.ExtraRoundTrips > 0);
        Assert.All(r.CatchUps, c => Assert.True(c.Retransmissions > 0 || c.ExtraRoundTrips == 0, $"{c}: extra time without a retransmission"));
    }

    [Fact]
    public void Sweep_Seed2_CrashOnALossFreeLink_IsNotChargedAsLoss()
    {
        // Regression: bundles that died with a crashed node were resent after its restart and showed as a 26 s "loss".
        var scenario = ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, "scenarios", "sweep-small.json"));
        var s = SweepCommand.WithFaults(scenario, 2);
        Assert.Equal(0, s.Loss);
        Assert.Contains(s.Events, e => e.Action == "crash");
        var r = new SimWorld(s).Run();
        Assert.Equal(0, r.Loss.LostEarthToMoon + r.Loss.LostMoonToEarth);
        Assert.Equal(0, r.Loss.Episodes);
        Assert.Equal(0, r.Loss.ExtraSecondsTotal);
    }

    [Fact]
    public void ScenarioWriter_ShippedScenarios_RoundTripThroughTheFileFormat()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "scenarios"), "*.json"))
        {
            var s = ScenarioReader.Load(file);
            var written = ScenarioWriter.ToJson(s);
            Assert.Equal(written, ScenarioWriter.ToJson(ScenarioReader.Parse(written)));
        }
    }
}
