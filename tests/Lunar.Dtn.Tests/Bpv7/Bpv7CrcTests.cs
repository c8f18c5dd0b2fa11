using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

public sealed class Bpv7CrcTests
{
    [Fact]
    public void Crc16X25_OfCatalogueInput_IsTheCheckValueInTheVectors()
    {
        var check = File.ReadAllText(Path.Combine(Vectors.Folder, "other", "crc_check_values.txt"));
        Assert.Contains("0x906E", check, StringComparison.Ordinal);
        Assert.Equal(0x906E, Bpv7Crc.Crc16X25("123456789"u8));
    }

    [Fact]
    public void Crc32C_OfCatalogueInput_IsTheCheckValueInTheVectors()
    {
        var check = File.ReadAllText(Path.Combine(Vectors.Folder, "other", "crc_check_values.txt"));
        Assert.Contains("0xE3069283", check, StringComparison.Ordinal);
        Assert.Equal(0xE3069283u, Bpv7Crc.Crc32C("123456789"u8));
    }

    [Theory]
    [InlineData("primary_crc16", "e7ca")]
    [InlineData("primary_crc32c", "ca4fc368")]
    public void PrimaryBlockCrc_OfBp7rsSamples_MatchesTheirPublishedValue(string name, string crc)
    {
        var bytes = Vectors.Sample("other/bp7rs_encoding_samples.txt", name);
        var type = crc.Length == 4 ? CrcType.Crc16 : CrcType.Crc32C;
        Assert.Equal(crc, Convert.ToHexStringLower(Bpv7Crc.OfEncodedBlock(bytes, type)));
    }
}
