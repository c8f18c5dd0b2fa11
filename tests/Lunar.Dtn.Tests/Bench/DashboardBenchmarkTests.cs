using Lunar.Dtn.Simulator.Bench;

namespace Lunar.Dtn.Tests.Bench;

/// <summary>The dashboard benchmark, small: a real Moon service in-process, its API and live feed over loopback.</summary>
public sealed class DashboardBenchmarkTests
{
    [Fact]
    public async Task SmallFleet_MeasuresTheSnapshot_AndTheFeedReachesEveryClient()
    {
        var report = await DashboardBenchmark.RunAsync(servers: 200, clients: 2, feed: TimeSpan.FromSeconds(2), writesPerTick: 5, TextWriter.Null);

        Assert.Equal(200, report.Servers);
        Assert.True(report.SnapshotCpuMs > 0, report.ToText());
        Assert.True(report.SnapshotJsonBytes > 500, report.ToText());
        Assert.True(report.GetMedianMs > 0, report.ToText());
        // Writes every 100 ms: each client gets a snapshot at most every 0.5 s (the throttle), and at least every 2 s (the heartbeat).
        Assert.InRange(report.EventsPerClientPerSecond, 0.4, 2.6);
        Assert.Equal(50, report.WritesPerSecond);
        Assert.Contains("\"feedCpuPercentPerClient\"", report.ToJson(), StringComparison.Ordinal);
    }
}
