using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>Health, the sync view of a node without peers, and the OpenAPI document.</summary>
public sealed class NodeApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    [Theory]
    [InlineData("/healthz", "live")]
    [InlineData("/healthz/ready", "ready")]
    public async Task Healthz_RunningNode_Returns200WithStatus(string path, string expected)
    {
        using var response = await _node.Http.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(expected, body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetSync_NodeWithoutPeers_ShowsItsVectorAndNoPeers()
    {
        var sync = await _node.GetJsonAsync("/api/v1/sync");
        Assert.Equal("moon", sync.GetProperty("node").GetString());
        Assert.True(sync.GetProperty("vector").EnumerateObject().Any(), "the artifact registered by the fixture is in the vector");
        Assert.Empty(sync.GetProperty("peers").EnumerateArray());
        Assert.True(sync.GetProperty("ownDeltasHeld").GetInt64() >= 1);
    }

    [Fact]
    public async Task UnknownPath_Returns404Problem()
    {
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/nothing-here", 404, "/api/v1/nothing-here");
    }
}
