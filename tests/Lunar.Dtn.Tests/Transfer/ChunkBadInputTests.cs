using Lunar.Dtn.Transfer;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>Every bad chunk the issue names is refused with a reason, stores nothing, and the transfer goes on.</summary>
public sealed class ChunkBadInputTests : IDisposable
{
    private readonly TransferRig _rig = new();

    public ChunkBadInputTests() => _rig.Run();

    public void Dispose() => _rig.Dispose();

    private ChunkOutcome Deliver(byte[] bundle)
    {
        var before = _rig.MoonOutcomes.Count;
        _rig.Link.B.Raise(bundle);
        _rig.Drain();
        return Assert.Single(_rig.MoonOutcomes.Skip(before));
    }

    private static ArtifactChunkPayload ChunkOf(Lunar.Dtn.Model.ArtifactRecord record, byte[] bytes, int index) =>
        new(Convert.FromHexString(record.Sha256), index, index * 65_536L, bytes.AsSpan(index * 65_536, Math.Min(65_536, bytes.Length - index * 65_536)).ToArray());

    private bool NothingIncoming() => !Directory.Exists(_rig.MoonStore.IncomingDirectory) || !Directory.EnumerateFiles(_rig.MoonStore.IncomingDirectory).Any();

    [Fact]
    public void ChunkOfAnUnknownArtifact_IsRefused_NothingStored_AndTheSenderIsToldToWait()
    {
        var (record, bytes) = TransferRig.Content(100_000, 10); // not registered on the moon
        var mark = _rig.Link.Sent.Count;
        var outcome = Deliver(_rig.EarthChunk(ChunkOf(record, bytes, 0)));

        Assert.Equal(ChunkResult.UnknownArtifact, outcome.Result);
        Assert.Contains("unknown artifact", outcome.Reason);
        Assert.True(NothingIncoming());
        _rig.Nodes.Time.Advance(TransferRig.Options.AckDelay);
        _rig.Drain();
        var status = Assert.Single(_rig.StatusesMoonSent(mark));
        Assert.Equal(record.Sha256, Convert.ToHexStringLower(Assert.Single(status.Unknown)));
        Assert.Equal(1, _rig.Moon.Counters.Refused);
    }

    [Fact]
    public void ChunkWithAWrongOffset_OrAWrongLength_OrAnIndexOutOfRange_IsRefused_NothingStored()
    {
        var (record, bytes) = TransferRig.Content(3 * 65_536 + 10, 11);
        _rig.Register(record);
        var good = ChunkOf(record, bytes, 1);

        var offset = Deliver(_rig.EarthChunk(good with { Offset = 0 }));
        Assert.Equal(ChunkResult.Refused, offset.Result);
        Assert.Contains("offset 0 is not where chunk 1 starts (65536)", offset.Reason);

        var shortChunk = Deliver(_rig.EarthChunk(good with { Data = good.Data[..1000] }));
        Assert.Equal(ChunkResult.Refused, shortChunk.Result);
        Assert.Contains("1000 bytes, but chunk 1", shortChunk.Reason);

        var last = ChunkOf(record, bytes, 3);
        var longLast = Deliver(_rig.EarthChunk(last with { Data = new byte[65_536] }));
        Assert.Equal(ChunkResult.Refused, longLast.Result);

        var beyond = Deliver(_rig.EarthChunk(good with { Index = 4, Offset = 4 * 65_536L }));
        Assert.Equal(ChunkResult.Refused, beyond.Result);
        Assert.Contains("outside the artifact's 4 chunks", beyond.Reason);

        Assert.True(NothingIncoming());
        Assert.Equal(ChunkResult.Stored, Deliver(_rig.EarthChunk(good)).Result); // the service goes on
    }

    [Fact]
    public void CorruptedChunk_FailsItsBundleSignature_NothingStored()
    {
        var (record, bytes) = TransferRig.Content(2 * 65_536, 12);
        _rig.Register(record);
        var bundle = _rig.EarthChunk(ChunkOf(record, bytes, 0));
        bundle[bundle.Length / 2] ^= 0x40; // a bit flipped in the data

        var outcome = Deliver(bundle);

        Assert.Equal(ChunkResult.Refused, outcome.Result);
        Assert.Contains("BadSignature", outcome.Reason);
        Assert.True(NothingIncoming());
        Assert.Contains("BadSignature", _rig.Moon.Counters.LastRefusal);
    }

    [Fact]
    public void ChunkSignedByAnotherNode_OverThisPeersLink_IsRefused()
    {
        var (record, bytes) = TransferRig.Content(65_536, 13);
        _rig.Register(record);
        var moonSigned = Lunar.Dtn.Transfer.ArtifactBundles.Seal(_rig.Nodes["moon"], "moon", Lunar.Dtn.Bundles.BundleKind.ArtifactChunk,
            Lunar.Dtn.Crdt.Serialization.Serialize(ChunkOf(record, bytes, 0)), TimeSpan.FromHours(1));
        Assert.Equal(ChunkResult.Refused, Deliver(moonSigned).Result);
        Assert.True(NothingIncoming());
    }

    [Fact]
    public async Task AssembledArtifactWhoseHashDoesNotMatch_IsDiscarded_NeverInstalled_AndFetchedAgain()
    {
        var (record, bytes) = TransferRig.Content(3 * 65_536 + 5, 14);
        _rig.Register(record);
        // A sender with the right sizes but other bytes (every chunk validly signed): only the whole-artifact hash can tell.
        var wrong = (byte[])bytes.Clone();
        wrong[70_000] ^= 1;
        var mark = _rig.Link.Sent.Count;
        for (var i = 0; i < 3; i++) Assert.Equal(ChunkResult.Stored, Deliver(_rig.EarthChunk(ChunkOf(record, wrong, i))).Result);
        var last = Deliver(_rig.EarthChunk(ChunkOf(record, wrong, 3)));

        Assert.Equal(ChunkResult.Discarded, last.Result);
        Assert.Contains($"hashes to sha256", last.Reason);
        Assert.False(_rig.MoonStore.Has(record.Sha256), "content that fails the signed hash must never reach the mirror");
        Assert.True(NothingIncoming());
        Assert.Equal(1, _rig.Moon.Counters.HashMismatches);
        var restart = _rig.StatusesMoonSent(mark).SelectMany(s => s.Partial).Single(p => p.Restarted);
        Assert.Equal(0, Lunar.Dtn.Artifacts.ChunkBitmap.FromBytes(4, restart.Bitmap)!.Held);

        // The real content, from the real sender: fetched again from nothing, verified, installed.
        _rig.Run();
        await _rig.EarthStore.ImportAsync(record, new MemoryStream(bytes));
        _rig.Run();
        Assert.True(_rig.MoonStore.Has(record.Sha256));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_rig.MoonStore.PathOf(record.Sha256)!));
    }
}
