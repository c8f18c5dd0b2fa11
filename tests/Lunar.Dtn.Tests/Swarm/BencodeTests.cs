using System.Text;
using Lunar.Dtn.Swarm;

namespace Lunar.Dtn.Tests.Swarm;

public sealed class BencodeTests
{
    [Fact]
    public void Encode_ThenDecode_RoundTripsEveryKindWithKeysInByteOrder()
    {
        var value = new BDictionary { ["zeta"] = 42L, ["alpha"] = new List<object> { "x"u8.ToArray(), -7L }, ["mid"] = new BDictionary { ["k"] = "v" } };
        var bytes = Bencode.Encode(value);
        Assert.Equal("d5:alphal1:xi-7ee3:midd1:k1:ve4:zetai42ee", Encoding.ASCII.GetString(bytes));
        var back = Assert.IsType<BDictionary>(Bencode.Decode(bytes));
        Assert.Equal(42L, back.Integer("zeta"));
        Assert.Equal("v", back.Dictionary("mid")!.Text("k"));
        Assert.Equal(bytes, Bencode.Encode(back));
    }

    [Theory]
    [InlineData("i03e", "bad integer")]
    [InlineData("i-0e", "bad integer")]
    [InlineData("5:abc", "runs past the end")]
    [InlineData("d1:bi1e1:ai2ee", "out of order")]
    [InlineData("d1:ai1e1:ai2ee", "out of order")]
    [InlineData("li1e", "truncated")]
    [InlineData("i1ei2e", "after the value")]
    [InlineData("x", "unexpected byte")]
    [InlineData("di1ei2ee", "is not a string")]
    public void Decode_Malformed_SaysWhy(string input, string why)
    {
        var e = Assert.Throws<InvalidDataException>(() => Bencode.Decode(Encoding.ASCII.GetBytes(input)));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NestedTooDeep_IsRefused()
    {
        var deep = Encoding.ASCII.GetBytes(new string('l', 100) + new string('e', 100));
        Assert.Throws<InvalidDataException>(() => Bencode.Decode(deep));
    }

    [Fact]
    public void Dictionary_RemembersWhereEachValueLay()
    {
        var bytes = Encoding.ASCII.GetBytes("d4:infod1:xi1ee1:zi2ee");
        var d = Assert.IsType<BDictionary>(Bencode.Decode(bytes));
        Assert.Equal("d1:xi1ee", Encoding.ASCII.GetString(bytes[d.SourceSpan("info")!.Value]));
    }
}
