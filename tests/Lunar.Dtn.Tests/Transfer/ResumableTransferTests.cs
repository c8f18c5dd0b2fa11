using Lunar.Dtn.Artifacts;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>The transfer protocol over an in-memory link the test controls: cuts that lose what was queued, restarts of either side.</summary>
public sealed class ResumableTransferTests : IDisposable
{
    private readonly TransferRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Upload_IsSentAtOnce_AndArrivesWholeAndVerified_EachChunkSentOnce()
    {
        var (record, bytes) = TransferRig.Content(20 * 65_536 + 777, 1);
        _rig.Register(record);
        _rig.Run();
        await _rig.EarthStore.ImportAsync(record, new MemoryStream(bytes));
        _rig.Run();

        Assert.True(_rig.MoonStore.Has(record.Sha256), "the moon should hold the artifact");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_rig.MoonStore.PathOf(record.Sha256)!));
        Assert.Equal(Enumerable.Range(0, 21), _rig.ChunksEarthSent().Order());
        Assert.True(_rig.Earth.PeerHolds(record.Sha256));
        Assert.Empty(_rig.Earth.Outgoing());
        Assert.Equal(1, _rig.Earth.Counters.ArtifactsDelivered);
        Assert.Empty(Directory.EnumerateFiles(_rig.MoonStore.IncomingDirectory));
        Assert.All(_rig.Link.Sent.Where(s => s.From == _rig.Link.A), s => Assert.Equal(Lunar.Dtn.Bundles.BundlePriority.Bulk, s.Priority));
    }

    [Fact]
    public async Task CutsAndRestartsOfBothSides_NoChunkTheMoonHeldIsEverSentAgain_AndItArrivesWhole()
    {
        var (record, bytes) = TransferRig.Content(80 * 65_536 - 1_000, 2);
        _rig.Register(record);
        _rig.Run();
        await _rig.EarthStore.ImportAsync(record, new MemoryStream(bytes));

        // Four interruptions: a cut, earth restarted, a cut, moon restarted; each after about eight more chunks arrived.
        var interruptions = new (string What, Action Restart)[] { ("cut", () => { }), ("earth restart", _rig.RestartEarth), ("cut", () => { }), ("moon restart", _rig.RestartMoon) };
        foreach (var (what, restart) in interruptions)
        {
            var before = _rig.MoonReceiver.BitmapOf(record.Sha256)?.Held ?? 0;
            while ((_rig.MoonReceiver.BitmapOf(record.Sha256)?.Held ?? 0) < before + 8 && _rig.Run(max: 1) == 1) { }
            _rig.Run(max: 3); // a few more: chunks in flight and acknowledgements still queued when the link goes
            _rig.Link.Cut();
            var heldAtCut = _rig.MoonReceiver.BitmapOf(record.Sha256) ?? new ChunkBitmap(0);
            Assert.True(heldAtCut.Held > before && !heldAtCut.IsComplete, $"the {what} should land mid-transfer: the moon held {heldAtCut.Held} chunks, {before} before");
            restart();
            var mark = _rig.Link.Sent.Count;
            _rig.Link.Restore();
            _rig.Run(max: 6);
            var resent = _rig.ChunksEarthSent(mark).Where(heldAtCut.Has).ToArray();
            Assert.True(resent.Length == 0, $"after the {what}, earth sent again chunks the moon held durably: {string.Join(",", resent)}");
        }
        _rig.Run();

        Assert.True(_rig.MoonStore.Has(record.Sha256));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_rig.MoonStore.PathOf(record.Sha256)!));
        Assert.Equal(0, _rig.Moon.Counters.DuplicateChunks);
        // Every chunk sent more than once was lost in a cut, never one that had arrived.
        var stored = _rig.MoonOutcomes.Where(o => o.Result is Lunar.Dtn.Transfer.ChunkResult.Stored or Lunar.Dtn.Transfer.ChunkResult.Completed).Select(o => o.Index).ToArray();
        Assert.Equal(stored.Length, stored.Distinct().Count());
        Assert.Equal(80, stored.Length);
    }

    [Fact]
    public async Task Progress_IsVisibleOnBothSides_WhileInFlight()
    {
        var (record, bytes) = TransferRig.Content(30 * 65_536, 3);
        _rig.Register(record);
        _rig.Run();
        await _rig.EarthStore.ImportAsync(record, new MemoryStream(bytes));
        _rig.Run(max: 20);

        var incoming = _rig.MoonReceiver.Progress(record.Sha256)!;
        Assert.Equal(30, incoming.ChunksTotal);
        Assert.InRange(incoming.ChunksHeld, 1, 29);
        Assert.Equal(incoming.ChunksHeld * 65_536L, incoming.BytesHeld);
        Assert.Equal("earth", incoming.From);
        var outgoing = _rig.Earth.OutgoingOf(record.Sha256)!;
        Assert.Equal("sending", outgoing.State);
        Assert.Equal(30 * 65_536L, outgoing.BytesTotal);
        Assert.InRange(outgoing.ChunksAcknowledged, 1, incoming.ChunksHeld);
        _rig.Link.Cut();
        Assert.Equal("link-down", _rig.Earth.OutgoingOf(record.Sha256)!.State);
        Assert.Null(_rig.Earth.OutgoingOf(record.Sha256)!.EtaSeconds);
    }
}
