using System.Net.Http.Headers;
using System.Security.Cryptography;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

public sealed class ArtifactContentApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    private async Task<(string Sha, byte[] Bytes)> RegisterAsync(int size, byte seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(201, (await _node.PostAsync("/api/v1/artifacts", new { name = $"pkg-{seed}", version = "1.0", sha256 = sha, sizeBytes = size })).Status);
        return (sha, bytes);
    }

    private async Task<HttpResponseMessage> PutAsync(string sha, byte[] body) =>
        await _node.Http.PutAsync($"/api/v1/artifacts/{sha}/content", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });

    [Fact]
    public async Task Put_MatchingContent_Returns201_ThenGetServesItWithRanges()
    {
        var (sha, bytes) = await RegisterAsync(100_000, 1);
        using (var put = await PutAsync(sha, bytes)) Assert.Equal(201, (int)put.StatusCode);
        using (var again = await PutAsync(sha, bytes)) Assert.Equal(200, (int)again.StatusCode);

        Assert.Equal(bytes, await _node.Http.GetByteArrayAsync($"/api/v1/artifacts/{sha}/content"));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/artifacts/{sha}/content") { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        using var partial = await _node.Http.SendAsync(ranged);
        Assert.Equal(206, (int)partial.StatusCode);
        Assert.Equal(bytes[1000..2000], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_WrongHash_Returns400AndKeepsNothing()
    {
        var (sha, bytes) = await RegisterAsync(5_000, 2);
        bytes[17] ^= 0xFF;
        using var put = await PutAsync(sha, bytes);
        Assert.Equal(400, (int)put.StatusCode);
        Assert.Contains("hashes to", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ProblemAssert.GetRefusedAsync(_node, $"/api/v1/artifacts/{sha}/content", 404, "not on this node");
    }

    [Fact]
    public async Task Put_MoreBytesThanRegistered_Returns400AndKeepsNothing()
    {
        var (sha, bytes) = await RegisterAsync(5_000, 3);
        using var put = await PutAsync(sha, [.. bytes, 0]);
        Assert.Equal(400, (int)put.StatusCode);
        Assert.Contains("longer than the registered 5000 bytes", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ProblemAssert.GetRefusedAsync(_node, $"/api/v1/artifacts/{sha}/content", 404, "not on this node");
    }

    [Fact]
    public async Task Put_FewerBytesThanRegistered_Returns400()
    {
        var (sha, bytes) = await RegisterAsync(5_000, 4);
        using var put = await PutAsync(sha, bytes[..4999]);
        Assert.Equal(400, (int)put.StatusCode);
        Assert.Contains("4999 bytes", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_UnknownArtifact_Returns404SayingToRegisterFirst()
    {
        using var put = await PutAsync(new string('7', 64), [1, 2, 3]);
        Assert.Equal(404, (int)put.StatusCode);
        Assert.Contains("register its metadata", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_IncludesRegisteredArtifacts()
    {
        var (sha, _) = await RegisterAsync(10, 5);
        var list = await _node.GetJsonAsync("/api/v1/artifacts");
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("id").GetString() == sha);
    }
}
