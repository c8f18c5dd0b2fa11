using Lunar.Dtn.Model;
using Lunar.Dtn.Simulator.Bench;

namespace Lunar.Dtn.Tests.Bench;

public sealed class SyncWorkloadReaderTests
{
    private const string Meta = """{"kind":"meta","servers":1,"seed":1,"wave":1,"states":["pending","done"],"holdFraction":0.01}""";
    private const string Init = """{"kind":"init","id":"srv-1","status":"pending","version":"2.3.0","campaign":"c","rack":"r","ts":1767225600000}""";

    private static SyncWorkload Read(params string[] lines) => SyncWorkloadReader.Read(new StringReader(string.Join('\n', lines)), "test.jsonl");

    [Fact]
    public void BundledSample_Reads()
    {
        var w = SyncWorkloadReader.ReadFile(SyncBenchmarkTests.SamplePath);
        Assert.Equal(500, w.Meta!.Servers);
        Assert.Equal(500, w.Inits.Count);
        Assert.Equal(3000, w.Transitions.Count());
        Assert.Equal(8, w.Holds.Count());
        Assert.Equal("2.4.1", w.Transitions.Last().Version);
    }

    [Theory]
    [InlineData("""{"kind":"transition","id":"srv-1","wave":0,"step":1,"status":"approved"}""", "line 3", "'ts'")]
    [InlineData("""{"kind":"transition","id":"srv-1","wave":0,"step":1,"status":"approved","ts":"soon"}""", "line 3", "'ts'")]
    [InlineData("""{"kind":"transition","id":"srv-9","wave":0,"step":1,"status":"approved","ts":1}""", "line 3", "'id'")]
    [InlineData("""{"kind":"transition","id":"srv-1","wave":0,"step":1,"status":"paused","ts":1}""", "line 3", "'status'")]
    [InlineData("""{"kind":"hold","id":"srv-1","holdTs":1}""", "line 3", "'hold'")]
    [InlineData("""{"kind":"bogus"}""", "line 3", "'kind'")]
    [InlineData("""{"kind":"init",""", "line 3", "not valid JSON")]
    [InlineData("""[1,2]""", "line 3", "not an object")]
    [InlineData(Init, "line 3", "initialised twice")]
    public void BadLine_IsReported_WithItsLineAndField(string bad, string line, string field)
    {
        var ex = Assert.Throws<WorkloadFormatException>(() => Read(Meta, Init, bad));
        Assert.Contains("test.jsonl " + line + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void MetaAfterTheFirstLine_IsRefused() =>
        Assert.Contains("line 2", Assert.Throws<WorkloadFormatException>(() => Read(Init, Meta)).Message, StringComparison.Ordinal);

    [Fact]
    public void StatusNames_MapToPhasesInOrder()
    {
        UpgradePhase[] expected = [UpgradePhase.Queued, UpgradePhase.PreCheck, UpgradePhase.Downloading, UpgradePhase.Verifying,
            UpgradePhase.Applying, UpgradePhase.SmokeTest, UpgradePhase.Complete];
        Assert.Equal(["pending", "approved", "scheduled", "draining", "upgrading", "verifying", "done"], WorkloadStatuses.Names);
        Assert.Equal(expected, WorkloadStatuses.Names.Select(WorkloadStatuses.ToPhase));
    }
}
