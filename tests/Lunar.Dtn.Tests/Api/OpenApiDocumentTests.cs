using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>/openapi/v1.json: valid JSON that documents every contract path, its body and its problem answers.</summary>
public sealed class OpenApiDocumentTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private static readonly (string Method, string Path)[] Contract =
    [
        ("get", "/healthz"), ("get", "/healthz/ready"),
        ("post", "/api/v1/campaigns"), ("get", "/api/v1/campaigns"), ("get", "/api/v1/campaigns/{id}"),
        ("post", "/api/v1/campaigns/{id}/start"), ("post", "/api/v1/campaigns/{id}/pause"),
        ("post", "/api/v1/campaigns/{id}/resume"), ("post", "/api/v1/campaigns/{id}/cancel"),
        ("get", "/api/v1/servers/{id}/state"),
        ("post", "/api/v1/approvals/{campaignId}"), ("get", "/api/v1/approvals/{campaignId}"),
        ("post", "/api/v1/artifacts"), ("get", "/api/v1/artifacts/{id}"),
        ("get", "/api/v1/sync"), ("get", "/api/v1/audit"), ("post", "/api/v1/emergency-stop"),
        ("get", "/api/v1/agents/{id}/assignment"), ("post", "/api/v1/agents/{id}/report"),
    ];

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await fixture.Node.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Operation(JsonElement doc, string method, string path)
    {
        Assert.True(doc.GetProperty("paths").TryGetProperty(path, out var item), $"the document lacks {path}");
        Assert.True(item.TryGetProperty(method, out var op), $"the document lacks {method.ToUpperInvariant()} {path}");
        return op;
    }

    [Fact]
    public async Task Document_IsValidJson_AndListsEveryContractPathWithSummaryAndSuccessResponse()
    {
        var doc = await DocumentAsync();
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        foreach (var (method, path) in Contract)
        {
            var op = Operation(doc, method, path);
            Assert.False(string.IsNullOrWhiteSpace(op.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{method} {path} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(op.TryGetProperty("description", out var d) ? d.GetString() : null), $"{method} {path} has no description");
            Assert.True(op.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{method} {path} documents no success response");
        }
    }

    [Theory]
    [InlineData("/api/v1/campaigns", "name")]
    [InlineData("/api/v1/campaigns/{id}/cancel", "rollback")]
    [InlineData("/api/v1/approvals/{campaignId}", "signature")]
    [InlineData("/api/v1/artifacts", "sha256")]
    [InlineData("/api/v1/agents/{id}/report", "phase")]
    public async Task Document_PostWithBody_DescribesTheBodySchema(string path, string property)
    {
        var doc = await DocumentAsync();
        var schema = Operation(doc, "post", path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var resolved = Resolve(doc, schema);
        Assert.True(resolved.GetProperty("properties").TryGetProperty(property, out _), $"the body schema of {path} lacks {property}: {resolved}");
    }

    [Theory]
    [InlineData("/api/v1/campaigns", "name,artifactId")]
    [InlineData("/api/v1/agents/{id}/report", "phase")]
    [InlineData("/api/v1/artifacts", "name,version,sha256,sizeBytes")]
    public async Task Document_PostWithBody_RequiresOnlyTheFieldsTheEndpointRequires(string path, string required)
    {
        var doc = await DocumentAsync();
        var schema = Resolve(doc, Operation(doc, "post", path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(required.Split(',').Order(), schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
    }

    [Theory]
    [InlineData("post", "/api/v1/campaigns", "400")]
    [InlineData("get", "/api/v1/campaigns/{id}", "404")]
    [InlineData("post", "/api/v1/campaigns/{id}/start", "404,409")]
    [InlineData("post", "/api/v1/campaigns/{id}/cancel", "404,409")]
    [InlineData("get", "/api/v1/servers/{id}/state", "404")]
    [InlineData("post", "/api/v1/approvals/{campaignId}", "400,404")]
    [InlineData("get", "/api/v1/approvals/{campaignId}", "404")]
    [InlineData("post", "/api/v1/artifacts", "400,409")]
    [InlineData("get", "/api/v1/artifacts/{id}", "404")]
    [InlineData("get", "/api/v1/audit", "400")]
    [InlineData("post", "/api/v1/emergency-stop", "409")]
    [InlineData("get", "/api/v1/agents/{id}/assignment", "404,409")]
    [InlineData("post", "/api/v1/agents/{id}/report", "400,404,409")]
    public async Task Document_Endpoint_DocumentsItsProblemResponses(string method, string path, string statuses)
    {
        var doc = await DocumentAsync();
        var responses = Operation(doc, method, path).GetProperty("responses");
        foreach (var status in statuses.Split(','))
        {
            Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path} does not document {status}");
            Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {status} is not a problem+json: {response}");
        }
    }

    private static JsonElement Resolve(JsonElement doc, JsonElement schema)
    {
        if (schema.TryGetProperty("oneOf", out var options)) schema = options.EnumerateArray().Single(o => o.TryGetProperty("$ref", out _));
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        var name = reference.GetString()!.Split('/')[^1];
        return doc.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
