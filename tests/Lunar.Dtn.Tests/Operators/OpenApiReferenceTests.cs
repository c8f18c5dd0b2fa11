using System.Text.Json;
using Lunar.Dtn.Tests.Api;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// /openapi/v1.json documents every endpoint of the contract (section 3) and the operators' endpoints, with
/// request examples and RFC 9457 problem examples; the reference page and its script are served by the node itself.
/// </summary>
public sealed class OpenApiReferenceTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    /// <summary>Contract section 3, plus health, metrics, the dashboard feed and the USB bundle file endpoints.</summary>
    public static readonly TheoryData<string, string> ContractEndpoints = new()
    {
        { "get", "/healthz" }, { "get", "/healthz/ready" }, { "get", "/metrics" },
        { "post", "/api/v1/campaigns" }, { "get", "/api/v1/campaigns" }, { "get", "/api/v1/campaigns/{id}" },
        { "post", "/api/v1/campaigns/{id}/start" }, { "post", "/api/v1/campaigns/{id}/pause" },
        { "post", "/api/v1/campaigns/{id}/resume" }, { "post", "/api/v1/campaigns/{id}/cancel" },
        { "get", "/api/v1/servers/{id}/state" },
        { "post", "/api/v1/approvals/{campaignId}" }, { "get", "/api/v1/approvals/{campaignId}" },
        { "post", "/api/v1/artifacts" }, { "get", "/api/v1/artifacts/{id}" },
        { "put", "/api/v1/artifacts/{id}/content" }, { "get", "/api/v1/artifacts/{id}/content" }, { "get", "/api/v1/artifacts/{id}/torrent" },
        { "get", "/api/v1/bundles/export" }, { "post", "/api/v1/bundles/import" },
        { "get", "/api/v1/sync" }, { "get", "/api/v1/audit" }, { "post", "/api/v1/emergency-stop" },
        { "get", "/api/v1/agents/{id}/assignment" }, { "post", "/api/v1/agents/{id}/report" },
        { "get", "/api/v1/dashboard" }, { "get", "/api/v1/events" },
    };

    private async Task<JsonElement> DocumentAsync() => await fixture.Node.GetJsonAsync("/openapi/v1.json");

    [Theory]
    [MemberData(nameof(ContractEndpoints))]
    public async Task Document_ListsTheContractEndpoint_WithSummaryAndSuccessResponse(string method, string path)
    {
        var doc = await DocumentAsync();
        Assert.True(doc.GetProperty("paths").TryGetProperty(path, out var item), $"/openapi/v1.json lacks {path}");
        Assert.True(item.TryGetProperty(method, out var op), $"/openapi/v1.json lacks {method.ToUpperInvariant()} {path}");
        Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString()), $"{method} {path} has no summary");
        Assert.Contains(op.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('2'));
    }

    [Theory]
    [InlineData("/api/v1/campaigns", "artifactId")]
    [InlineData("/api/v1/artifacts", "sha256")]
    [InlineData("/api/v1/agents/{id}/report", "phase")]
    [InlineData("/api/v1/campaigns/{id}/cancel", "rollback")]
    public async Task Document_RequestBody_HasAnExample(string path, string field)
    {
        var doc = await DocumentAsync();
        var media = doc.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        Assert.True(media.TryGetProperty("example", out var example), $"POST {path} has no request example");
        Assert.True(example.TryGetProperty(field, out _), $"the example of POST {path} lacks {field}: {example}");
    }

    [Theory]
    [InlineData("post", "/api/v1/campaigns", "400")]
    [InlineData("get", "/api/v1/campaigns/{id}", "404")]
    [InlineData("post", "/api/v1/campaigns/{id}/resume", "409")]
    public async Task Document_ProblemResponse_HasAnRfc9457Example(string method, string path, string status)
    {
        var doc = await DocumentAsync();
        var content = doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).GetProperty("content");
        var problem = content.EnumerateObject().Single(c => c.Name.Contains("problem", StringComparison.Ordinal)).Value;
        var example = problem.GetProperty("example");
        Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), example.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(example.GetProperty("detail").GetString()));
        Assert.True(problem.GetProperty("schema").TryGetProperty("$ref", out _), $"the {status} of {method} {path} has no problem schema");
    }

    [Fact]
    public async Task Document_EveryTagIsDescribed_AndTheServerUrlHasNoTrailingSlash()
    {
        var doc = await DocumentAsync();
        Assert.All(doc.GetProperty("tags").EnumerateArray(), t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("description").GetString())));
        Assert.All(doc.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
    }

    [Fact]
    public async Task ApiReference_IsServedWithItsScriptFromTheNode_NotACdn()
    {
        using var page = await fixture.Node.Http.GetAsync("/scalar/v1");
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("src=\"scalar.js\"", html, StringComparison.Ordinal);
        using var script = await fixture.Node.Http.GetAsync("/scalar/scalar.js");
        Assert.Equal(200, (int)script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000, "the embedded Scalar bundle is missing");
    }
}
