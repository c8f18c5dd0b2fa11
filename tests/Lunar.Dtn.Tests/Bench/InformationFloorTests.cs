using System.IO.Compression;
using System.Text;
using Lunar.Dtn.Simulator.Bench;

namespace Lunar.Dtn.Tests.Bench;

public sealed class InformationFloorTests
{
    private static SyncWorkload Workload() => SyncWorkloadReader.Read(new StringReader("""
        {"kind":"init","id":"srv-2","status":"pending","version":"2.3.0","campaign":"c","rack":"r","ts":10}
        {"kind":"init","id":"srv-1","status":"pending","version":"2.3.0","campaign":"c","rack":"r","ts":10}
        {"kind":"init","id":"srv-3","status":"pending","version":"2.3.0","campaign":"c","rack":"r","ts":10}
        {"kind":"transition","id":"srv-2","wave":0,"step":1,"status":"approved","ts":20}
        {"kind":"transition","id":"srv-1","wave":0,"step":1,"status":"approved","ts":21}
        {"kind":"transition","id":"srv-2","wave":0,"step":2,"status":"done","ts":30,"version":"2.4.1"}
        {"kind":"hold","id":"srv-3","hold":"ops, \"thermal\"","holdTs":40}
        {"kind":"hold","id":"srv-3","hold":"later","holdTs":50}
        """), "floor.jsonl");

    [Fact]
    public void AtoB_IsTheFinalStatusVersionAndTs_OfEveryChangedServer_OrderedById()
    {
        var (text, servers) = InformationFloor.AtoBText(Workload());
        Assert.Equal("srv-1,approved,2.3.0,21\nsrv-2,done,2.4.1,30\n", text);
        Assert.Equal(2, servers);
    }

    [Fact]
    public void BtoA_IsTheLastHoldNote_OfEveryServer()
    {
        var (text, holds) = InformationFloor.BtoAText(Workload());
        Assert.Equal("srv-3,later,50\n", text);
        Assert.Equal(1, holds);
    }

    [Fact]
    public void FloorBytes_AreTheRawDeflateSize_AndRoundTrip()
    {
        var (text, _) = InformationFloor.AtoBText(Workload());
        var floor = InformationFloor.Compute(Workload());
        Assert.Equal(InformationFloor.Deflate(text), floor.AtoBBytes);

        using var compressed = new MemoryStream();
        using (var d = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) d.Write(Encoding.UTF8.GetBytes(text));
        Assert.Equal(compressed.Length, floor.AtoBBytes);
        compressed.Position = 0;
        using var back = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress));
        Assert.Equal(text, back.ReadToEnd());
    }

    [Fact]
    public void Floor_GrowsWithTheWorkload_AndIsFarBelowTheRawText()
    {
        var small = SyncWorkloadGenerator.Generate(100, 3);
        var large = SyncWorkloadGenerator.Generate(1000, 3);
        var (text, _) = InformationFloor.AtoBText(large);
        Assert.True(InformationFloor.Compute(large).AtoBBytes > 5 * InformationFloor.Compute(small).AtoBBytes);
        Assert.True(InformationFloor.Compute(large).AtoBBytes < Encoding.UTF8.GetByteCount(text) / 2);
    }
}
