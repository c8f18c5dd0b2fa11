using System.Text;
using Lunar.Dtn.Hosting;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>The scanner that names the field of an oversized body: paths, escapes, lists, bodies cut off mid-field, any piece size.</summary>
public sealed class JsonBoundsScannerTests
{
    private static IReadOnlyList<JsonBoundsScanner.Excess> Scan(string json, IReadOnlyDictionary<string, int> bounds, int piece = 7)
    {
        var scanner = new JsonBoundsScanner(bounds);
        var bytes = Encoding.UTF8.GetBytes(json);
        for (var at = 0; at < bytes.Length; at += piece) scanner.Feed(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
        return scanner.Finish();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16384)]
    public void NamesNestedFieldsAndListElements_WhateverThePieces(int piece)
    {
        var json = "{\"name\":\"ok\",\"selector\":{\"tiers\":[1,2],\"sites\":[\"a\",\"" + new string('s', 300) + "\"]},\"tier2Windows\":[{\"start\":\"01:00\",\"end\":\"" + new string('9', 6) + "\"}]}";
        var found = Scan(json, BodyLimits.CampaignFields, piece);
        Assert.Equal(["selector.sites[1] is 300 characters; at most 128", "tier2Windows[0].end is 6 characters; at most 5"], found.Select(f => f.Problem));
    }

    [Fact]
    public void CountsEscapesAndMultiByteCharactersAsDotNetDoes_AndIgnoresKeysAndUnknownFields()
    {
        var name = "é\"\\\u00e9" + new string('x', 197); // 201 characters in .NET
        var json = System.Text.Json.JsonSerializer.Serialize(new { name, other = new string('o', 10_000), artifactId = "\ud83d\ude80" });
        var found = Scan(json, BodyLimits.CampaignFields);
        var only = Assert.Single(found);
        Assert.Equal("name", only.Field);
        Assert.Equal(name.Length, only.Size);
    }

    [Fact]
    public void ABodyCutOffInsideAFieldOrAList_ReportsWhatItReached()
    {
        var found = Scan("{\"artifactId\":\"x\",\"name\":\"" + new string('n', 5000), BodyLimits.CampaignFields);
        Assert.Equal("name is at least 5,000 characters; at most 200", Assert.Single(found).Problem);
        found = Scan("{\"selector\":{\"clusters\":[" + string.Join(",", Enumerable.Repeat("\"c\"", 300)), BodyLimits.CampaignFields);
        Assert.Equal("selector.clusters has at least 300 items; at most 256", Assert.Single(found).Problem);
    }
}
