using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

public sealed class ArtifactApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    private static string Sha(char fill) => new(fill, 64);

    [Fact]
    public async Task Register_ValidMetadata_Returns201WithIdAndLocation_AndGetFindsIt()
    {
        using var response = await _node.Http.PostAsync("/api/v1/artifacts", ProblemAssert.Json(new { name = "kernel", version = "6.1.0", sha256 = Sha('A'), sizeBytes = 42 }));
        Assert.Equal(201, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Sha('a'), body.GetProperty("id").GetString());
        Assert.Equal($"/api/v1/artifacts/{Sha('a')}", response.Headers.Location?.OriginalString);

        var read = await _node.GetJsonAsync($"/api/v1/artifacts/{Sha('a')}");
        Assert.Equal("kernel", read.GetProperty("name").GetString());
        Assert.Equal("6.1.0", read.GetProperty("version").GetString());
        Assert.Equal(42, read.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("kernel", (await _node.GetJsonAsync($"/api/v1/artifacts/{Sha('A')}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Register_SameMetadataAgain_Returns200AndChangesNothing()
    {
        var artifact = new { name = "firmware", version = "1.0", sha256 = Sha('b'), sizeBytes = 7 };
        Assert.Equal(201, (await _node.PostAsync("/api/v1/artifacts", artifact)).Status);
        var before = _node.Replica.Fingerprint();

        var (status, body) = await _node.PostAsync("/api/v1/artifacts", artifact);

        Assert.Equal(200, status);
        Assert.Equal(Sha('b'), body.GetProperty("id").GetString());
        Assert.Equal(before, _node.Replica.Fingerprint());
    }

    [Fact]
    public async Task Register_SameHashDifferentMetadata_Returns409Problem()
    {
        Assert.Equal(201, (await _node.PostAsync("/api/v1/artifacts", new { name = "bios", version = "3", sha256 = Sha('c'), sizeBytes = 9 })).Status);
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/artifacts", new { name = "bios", version = "4", sha256 = Sha('c'), sizeBytes = 9 }, 409, "already registered");
        Assert.Equal("3", (await _node.GetJsonAsync($"/api/v1/artifacts/{Sha('c')}")).GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"version\":\"1\",\"sha256\":\"abc\",\"sizeBytes\":1}", "sha256")]
    [InlineData("{\"name\":\"x\",\"version\":\"1\",\"sha256\":\"" + "zz" + "00000000000000000000000000000000000000000000000000000000000000\",\"sizeBytes\":1}", "sha256")]
    [InlineData("{\"name\":\"x\",\"version\":\"1\",\"sha256\":\"" + "dd00000000000000000000000000000000000000000000000000000000000000" + "\",\"sizeBytes\":0}", "sizeBytes")]
    [InlineData("{\"name\":\"x\",\"version\":\"1\",\"sha256\":\"" + "dd00000000000000000000000000000000000000000000000000000000000000" + "\",\"sizeBytes\":-5}", "sizeBytes")]
    [InlineData("{\"version\":\"1\",\"sha256\":\"" + "dd00000000000000000000000000000000000000000000000000000000000000" + "\",\"sizeBytes\":1}", "name")]
    [InlineData("{\"name\":\"x\",\"sha256\":\"" + "dd00000000000000000000000000000000000000000000000000000000000000" + "\",\"sizeBytes\":1}", "version")]
    [InlineData("{}", "name,version,sha256,sizeBytes")]
    public async Task Register_InvalidMetadata_Returns400ProblemNamingEachField(string json, string fields)
    {
        var problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/artifacts", json, 400);
        var errors = problem.GetProperty("errors");
        foreach (var field in fields.Split(','))
        {
            Assert.True(errors.TryGetProperty(field, out _), $"errors should name {field}: {problem}");
            Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Register_SizeBytesNotANumber_Returns400ProblemNamingTheField()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/artifacts", "{\"name\":\"x\",\"version\":\"1\",\"sha256\":\"" + Sha('e') + "\",\"sizeBytes\":\"big\"}", 400, "sizeBytes");
    }

    [Fact]
    public async Task Register_EmptyBody_Returns400Problem()
    {
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/artifacts", null, 400, "body");
    }

    [Fact]
    public async Task Register_AuditsTheCertificatesPrincipal_AndAnXOperatorNamingSomeoneElseIsRefused()
    {
        await ProblemAssert.RefusedAsync(_node, http =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/artifacts") { Content = ProblemAssert.Json(new { name = "ops", version = "1", sha256 = Sha('f'), sizeBytes = 3 }) };
            request.Headers.Add("X-Operator", "bob (base-lead)");
            return http.SendAsync(request);
        }, 400, "X-Operator", "ada");

        using var oscar = _node.ClientAs("oscar");
        using var response = await oscar.PostAsync("/api/v1/artifacts", ProblemAssert.Json(new { name = "ops", version = "1", sha256 = Sha('f'), sizeBytes = 3 }));
        Assert.Equal(201, (int)response.StatusCode);
        var audit = await _node.GetJsonAsync("/api/v1/audit?action=artifact-registered&actor=oscar");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("details").GetString()!.Contains(Sha('f'), StringComparison.Ordinal));
        Assert.Empty((await _node.GetJsonAsync("/api/v1/audit?actor=bob%20(base-lead)")).EnumerateArray());
    }

    [Fact]
    public async Task Get_UnknownArtifact_Returns404Problem()
    {
        await ProblemAssert.GetRefusedAsync(_node, $"/api/v1/artifacts/{Sha('9')}", 404, Sha('9'));
    }
}
