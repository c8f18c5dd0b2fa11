using System.Security.Cryptography;
using Lunar.Dtn.Swarm;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>Our v1 metainfo against the real mktorrent (Debian package mktorrent).</summary>
public sealed class MetainfoTests
{
    [Theory]
    [InlineData(1_000_000, 15, true)]
    [InlineData(3 * 262_144, 18, false)]
    [InlineData(5_000_001, 20, true)]
    public async Task Create_SameFileAndPieceSize_HasTheInfoHashOfMktorrent(int size, int pieceExponent, bool isPrivate)
    {
        using var dir = new TempDir("lunar-metainfo");
        var file = dir.Sub("lunar-os-2.0.0.img");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(size));
        var theirsPath = dir.Sub("theirs.torrent");
        string[] args = ["-l", pieceExponent.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "http://127.0.0.1:1/announce", "-o", theirsPath];
        if (isPrivate) args = [.. args, "-p"];
        var (code, output) = await ExternalTool.RunAsync("mktorrent", "mktorrent", [.. args, file], TimeSpan.FromSeconds(60), dir.Path);
        Assert.True(code == 0, $"mktorrent failed ({code}): {output}");

        var theirs = Metainfo.Parse(await File.ReadAllBytesAsync(theirsPath));
        var ours = Metainfo.Create(file, "lunar-os-2.0.0.img", 1 << pieceExponent, isPrivate, "http://127.0.0.1:9/elsewhere");

        Assert.Equal(theirs.InfoHashHex, ours.InfoHashHex);
        Assert.Equal(ours.InfoHashHex, Metainfo.Parse(ours.ToTorrentFile()).InfoHashHex);
        Assert.Equal((size, 1 << pieceExponent, isPrivate), (theirs.Length, theirs.PieceLength, theirs.IsPrivate));
    }

    [Theory]
    [InlineData(1_000L, 32 * 1024)]
    [InlineData(100L * 1024 * 1024, 128 * 1024)]
    [InlineData(10L * 1024 * 1024 * 1024, 4 * 1024 * 1024)]
    public void ChoosePieceLength_KeepsPiecesNearAThousand(long size, int expected) => Assert.Equal(expected, Metainfo.ChoosePieceLength(size));

    [Fact]
    public void Parse_MultiFileOrInconsistentTorrent_IsRefusedWithAReason()
    {
        var multi = Bencode.Encode(new BDictionary { ["info"] = new BDictionary { ["files"] = new List<object>(), ["name"] = "x", ["piece length"] = 16384L, ["pieces"] = Array.Empty<byte>() } });
        Assert.Contains("multi-file", Assert.Throws<InvalidDataException>(() => Metainfo.Parse(multi)).Message, StringComparison.Ordinal);
        var wrongCount = Bencode.Encode(new BDictionary { ["info"] = new BDictionary { ["length"] = 40_000L, ["name"] = "x", ["piece length"] = 16384L, ["pieces"] = new byte[20] } });
        Assert.Contains("1 piece hashes for 3 pieces", Assert.Throws<InvalidDataException>(() => Metainfo.Parse(wrongCount)).Message, StringComparison.Ordinal);
    }
}
