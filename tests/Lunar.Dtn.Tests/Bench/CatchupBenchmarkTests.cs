using Lunar.Dtn.Simulator.Bench;

namespace Lunar.Dtn.Tests.Bench;

/// <summary>The catch-up benchmark, small: real node services in-process, real TCP, the real link emulator.</summary>
public sealed class CatchupBenchmarkTests
{
    [Fact]
    public async Task SmallCatchup_AfterABlackout_Converges_AndCountsTheBytes()
    {
        var settings = new CatchupSettings
        {
            Servers = 200,
            Delay = TimeSpan.FromMilliseconds(50),
            BandwidthMbps = 10,
            Blackout = TimeSpan.Zero,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var report = await CatchupBenchmark.RunAsync(settings, TextWriter.Null);

        Assert.True(report.Converged, report.Failure ?? report.ToText());
        Assert.Null(report.Failure);
        Assert.Equal(report.FingerprintEarth, report.FingerprintMoon);
        Assert.Equal(200, report.StatusChanges);
        Assert.True(report.BytesMoonToEarth > 0 && report.BundleBytesMoonToEarth > 0, report.ToText());
        Assert.NotNull(report.ConvergeSeconds);
        Assert.NotNull(report.Ratio);
        Assert.True(report.FloorSeconds >= 0.05, report.ToText());
        Assert.Contains("\"convergeSeconds\"", report.ToJson(), StringComparison.Ordinal);
    }
}
