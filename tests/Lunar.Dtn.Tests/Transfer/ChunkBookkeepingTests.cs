using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Transfer;

public sealed class ChunkBookkeepingTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(65_536, 1, 65_536)]
    [InlineData(65_537, 2, 1)]
    [InlineData(5_000_000, 77, 5_000_000 - 76 * 65_536)]
    public void Layout_CountsChunksAndSizesTheLastOne(long size, int count, int lastLength)
    {
        Assert.Equal(count, ChunkLayout.Count(size));
        Assert.Equal(lastLength, ChunkLayout.Length(size, count - 1));
        Assert.Equal(size, Enumerable.Range(0, count).Sum(i => (long)ChunkLayout.Length(size, i)));
        Assert.Equal(0, ChunkLayout.Count(0));
    }

    [Fact]
    public void Bitmap_SetHasMissing_AndRoundTripsThroughBytes()
    {
        var map = new ChunkBitmap(13);
        Assert.True(map.Set(0));
        Assert.True(map.Set(12));
        Assert.False(map.Set(12));
        Assert.Equal(2, map.Held);
        Assert.Equal(Enumerable.Range(1, 11), map.Missing());
        var copy = ChunkBitmap.FromBytes(13, map.ToBytes())!;
        Assert.True(copy.Has(0) && copy.Has(12) && !copy.Has(5));
        Assert.Equal(2, copy.Held);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(13));
        foreach (var i in map.Missing().ToArray()) map.Set(i);
        Assert.True(map.IsComplete);
    }

    [Fact]
    public void Bitmap_FromBytes_RefusesTheWrongLengthAndBitsPastTheEnd()
    {
        Assert.Null(ChunkBitmap.FromBytes(13, new byte[3]));
        Assert.Null(ChunkBitmap.FromBytes(13, [0, 0b0010_0000])); // bit 13 set in a 13-chunk map
        Assert.NotNull(ChunkBitmap.FromBytes(13, [0xFF, 0b0001_1111]));
        Assert.NotNull(ChunkBitmap.FromBytes(16, [0xFF, 0xFF]));
    }

    [Fact]
    public void HeldBytes_CountsTheShortLastChunk()
    {
        const long size = 3 * 65_536 + 100;
        var map = new ChunkBitmap(ChunkLayout.Count(size));
        map.Set(3);
        Assert.Equal(100, ChunkLayout.HeldBytes(size, map));
        map.Set(0);
        Assert.Equal(65_636, ChunkLayout.HeldBytes(size, map));
    }

    [Fact]
    public void Partial_ChunksAndBitmapSurviveReopening_AndAChunkHeldIsNotWrittenAgain()
    {
        using var dir = new TempDir();
        var content = new byte[200_000];
        new Random(3).NextBytes(content);
        const string sha = "00000000000000000000000000000000000000000000000000000000000000aa";
        using (var p = PartialArtifact.Open(dir.Path, sha, content.Length))
        {
            Assert.True(p.Write(2, content.AsSpan(2 * 65_536, 65_536)));
            Assert.True(p.Write(3, content.AsSpan(3 * 65_536)));
            Assert.False(p.Write(3, content.AsSpan(3 * 65_536)));
            Assert.Throws<ArgumentException>(() => p.Write(1, content.AsSpan(0, 100)));
        }
        using (var again = PartialArtifact.Open(dir.Path, sha, content.Length))
        {
            Assert.Equal([0, 1], again.Bitmap.Missing());
            Assert.Equal(65_536 + content.Length - 3 * 65_536, again.BytesHeld);
            again.Write(0, content.AsSpan(0, 65_536));
            again.Write(1, content.AsSpan(65_536, 65_536));
            Assert.True(again.Bitmap.IsComplete);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), again.Digest().Sha256);
        }
    }

    [Fact]
    public void Partial_ABitmapOfTheWrongSize_IsNotTrusted_TheArtifactStartsAgain()
    {
        using var dir = new TempDir();
        const string sha = "00000000000000000000000000000000000000000000000000000000000000bb";
        using (var p = PartialArtifact.Open(dir.Path, sha, 300_000)) p.Write(0, new byte[65_536]);
        File.WriteAllBytes(Path.Combine(dir.Path, sha + ".bitmap"), [0xFF, 0xFF, 0xFF]);
        using var reopened = PartialArtifact.Open(dir.Path, sha, 300_000);
        Assert.Equal(0, reopened.Bitmap.Held);
    }
}
