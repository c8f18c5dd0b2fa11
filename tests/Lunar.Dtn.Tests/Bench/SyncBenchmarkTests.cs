using Lunar.Dtn.Simulator.Bench;

namespace Lunar.Dtn.Tests.Bench;

public sealed class SyncBenchmarkTests
{
    /// <summary>The bundled sample, copied next to the simulator (and so next to the tests) at build time.</summary>
    internal static string SamplePath => Path.Combine(AppContext.BaseDirectory, "data", "sync-workload-500.jsonl");

    [Fact]
    public void BundledSample_ConvergesInOneHop_AndBothDirectionsCarryBytes()
    {
        var report = SyncBenchmark.Run(SyncWorkloadReader.ReadFile(SamplePath));

        Assert.True(report.Converged, "the two replicas' fingerprints differ after the catch-up");
        Assert.Equal(report.FingerprintA, report.FingerprintB);
        Assert.Equal(1, report.Hops);
        Assert.Equal(500, report.Servers);
        Assert.Equal(3000, report.Transitions);
        Assert.Equal(8, report.Holds);
        Assert.True(report.BytesAtoB > report.CatchUpBytesAtoB && report.CatchUpBytesAtoB > 0, "A→B is a catch-up and an ack");
        Assert.True(report.BytesBtoA > 0);
        Assert.True(report.FloorBytesAtoB > 0 && report.FloorBytesBtoA > 0);
    }

    [Fact]
    public void GeneratedWorkload_IsSeedDetermined_AndConvergesInOneHop()
    {
        Assert.Equal(SyncWorkloadGenerator.Lines(300, 7), SyncWorkloadGenerator.Lines(300, 7));
        Assert.NotEqual(SyncWorkloadGenerator.Lines(300, 7), SyncWorkloadGenerator.Lines(300, 8));

        var workload = SyncWorkloadGenerator.Generate(300, 7);
        Assert.Equal(300 * 6, workload.Transitions.Count());
        var report = SyncBenchmark.Run(workload);
        Assert.True(report.Converged);
        Assert.Equal(1, report.Hops);
    }

    [Theory]
    [InlineData(1000, 1000, 1)]
    [InlineData(1010, 1000, 1)]
    [InlineData(2050, 1000, 2)]
    [InlineData(0, 1000, 0)]
    public void Hops_CountWholeOneWayDelays(int elapsedMs, int delayMs, int hops) =>
        Assert.Equal(hops, SyncBenchmark.HopsIn(TimeSpan.FromMilliseconds(elapsedMs), TimeSpan.FromMilliseconds(delayMs)));
}
