using System.Text;
using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>
/// Checks a refused request: the status, an RFC 9457 application/problem+json body, a detail that names the
/// problem, and a replica whose state fingerprint did not change.
/// </summary>
public static class ProblemAssert
{
    public static Task<JsonElement> PostRefusedAsync(InProcessNode node, string path, object? body, int status, params string[] detailMentions) =>
        RefusedAsync(node, http => http.PostAsync(path, Json(body)), status, detailMentions);

    public static Task<JsonElement> GetRefusedAsync(InProcessNode node, string path, int status, params string[] detailMentions) =>
        RefusedAsync(node, http => http.GetAsync(path), status, detailMentions);

    public static async Task<JsonElement> RefusedAsync(InProcessNode node, Func<HttpClient, Task<HttpResponseMessage>> send, int status, params string[] detailMentions)
    {
        var before = node.Replica.Fingerprint();
        using var response = await send(node.Http);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(detail), $"the problem should have a detail: {text}");
        foreach (var mention in detailMentions)
            Assert.True(detail!.Contains(mention, StringComparison.OrdinalIgnoreCase), $"detail should mention '{mention}': {detail}");
        Assert.Equal(before, node.Replica.Fingerprint());
        return problem;
    }

    /// <summary>A JSON body: a string is sent as it is (to send malformed JSON), anything else serialised camelCase.</summary>
    public static StringContent Json(object? body) =>
        new(body switch
        {
            null => "",
            string raw => raw,
            _ => JsonSerializer.Serialize(body, JsonSerializerOptions.Web),
        }, Encoding.UTF8, "application/json");
}
