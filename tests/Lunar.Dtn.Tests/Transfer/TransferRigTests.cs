using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>
/// The rig itself: each side's transfer writes received chunks and sends its hello on a worker thread, so a rig that steps
/// the link while a worker still runs races it (defect 13 of issue 16: "the cut should land mid-transfer" failed under load
/// when the two sides' hellos, sent at once by the two workers, collided in the link's queue and one was lost). Every event
/// the link raises must return with that side settled, so the two sides never run at once and every run is the same.
/// </summary>
public sealed class TransferRigTests
{
    [Fact]
    public async Task EveryLinkEvent_ReturnsWithItsSideSettled_SoNoWorkerRunsBehindTheRigsBack()
    {
        using var rig = new TransferRig();
        // Built with the link up: both hellos are on the link before the constructor returns, earth's first.
        Assert.Equal(["earth:status", "moon:status"], Transcript(rig));

        rig.Run();
        var (record, bytes) = TransferRig.Content(10 * 65_536, 21);
        rig.Register(record);
        await rig.EarthStore.ImportAsync(record, new MemoryStream(bytes));
        for (var held = 1; held <= 3; held++)
        {
            while (rig.Link.Deliver(1) == 1 && (rig.MoonReceiver.BitmapOf(record.Sha256)?.Held ?? 0) < held) { }
            // No drain: the delivery itself returned only once the moon's worker had written the chunk.
            Assert.Equal(held, rig.MoonReceiver.BitmapOf(record.Sha256)?.Held);
        }

        rig.Link.Cut();
        var mark = rig.Link.Sent.Count;
        rig.Link.Restore();
        Assert.Equal(["earth:status", "moon:status"], Transcript(rig, mark));
    }

    [Fact]
    public async Task TheSameCutsAndRestarts_TwiceOver_PutTheSameBundlesOnTheLinkInTheSameOrder()
    {
        Assert.Equal(await CutsAndRestartsAsync(), await CutsAndRestartsAsync());
    }

    private static async Task<IReadOnlyList<string>> CutsAndRestartsAsync()
    {
        using var rig = new TransferRig();
        var (record, bytes) = TransferRig.Content(40 * 65_536 - 7, 22);
        rig.Register(record);
        rig.Run();
        await rig.EarthStore.ImportAsync(record, new MemoryStream(bytes));
        foreach (var restart in new Action[] { () => { }, rig.RestartEarth, rig.RestartMoon })
        {
            rig.Run(max: 9);
            rig.Link.Cut();
            restart();
            rig.Link.Restore();
        }
        rig.Run();
        Assert.True(rig.MoonStore.Has(record.Sha256), "the moon should hold the artifact");
        return Transcript(rig);
    }

    /// <summary>Every bundle on the link from <paramref name="from"/> on: its sender and kind, and a chunk's index.</summary>
    private static IReadOnlyList<string> Transcript(TransferRig rig, int from = 0)
    {
        var chunks = new Queue<int>(rig.ChunksEarthSent(from));
        return rig.Link.Sent.Skip(from).Select(s =>
        {
            var who = s.From == rig.Link.A ? "earth" : "moon";
            return BundleCodec.PeekHeader(s.Bytes)!.Kind == BundleKind.ArtifactChunk ? $"{who}:chunk {chunks.Dequeue()}" : $"{who}:status";
        }).ToArray();
    }
}
