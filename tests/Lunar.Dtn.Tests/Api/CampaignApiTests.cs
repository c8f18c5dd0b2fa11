using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>One Moon node with one registered artifact, shared by the tests of a class (they run one after another).</summary>
public sealed class MoonNodeFixture : IAsyncLifetime
{
    public const string Sha = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

    public InProcessNode Node { get; private set; } = null!;

    /// <summary>The servers whose agents the tests play (each presents its own certificate).</summary>
    public static readonly string[] Agents =
        ["srv-flow", "srv-ghost", "srv-idle", "srv-reg-1", "srv-reg-3", "srv-bad-phase", "srv-no-phase", "srv-bad-tier", "srv-x"];

    public async Task InitializeAsync()
    {
        Node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", agents: Agents);
        var (status, _) = await Node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 104857600 });
        Assert.Equal(201, status);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class CampaignApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private const string Sha = MoonNodeFixture.Sha;
    private readonly InProcessNode _node = fixture.Node;

    private async Task<string> CreateAsync(object? extra = null)
    {
        var (status, body) = await _node.PostAsync("/api/v1/campaigns", extra ?? new { name = "wave-1", artifactId = Sha });
        Assert.Equal(201, status);
        return body.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Create_ValidBody_Returns201WithIdLocationAndDefaults()
    {
        using var response = await _node.Http.PostAsync("/api/v1/campaigns",
            JsonContent(new { name = "wave-1", artifactId = Sha, selector = new { tiers = new[] { 2, 3 } }, pauseOnAnomaly = new { failureRate = 0.1, window = 50 } }));
        Assert.Equal(201, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/campaigns/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", body.GetProperty("state").GetString());
        Assert.Equal(50, body.GetProperty("batchSize").GetInt32());
        Assert.Equal(30, body.GetProperty("concurrencyLimit").GetInt32());
        Assert.True(body.GetProperty("approvalRequired").GetBoolean());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("progress").ValueKind);
    }

    [Theory]
    [InlineData("{\"artifactId\":\"" + Sha + "\"}", "name")]
    [InlineData("{\"name\":\"x\",\"artifactId\":\"unknown\"}", "artifactId")]
    [InlineData("{\"name\":\"x\",\"artifactId\":\"" + Sha + "\",\"batchSize\":0}", "batchSize")]
    [InlineData("{\"name\":\"x\",\"artifactId\":\"" + Sha + "\",\"concurrencyLimit\":-1}", "concurrencyLimit")]
    [InlineData("{\"name\":\"x\",\"artifactId\":\"" + Sha + "\",\"selector\":{\"tiers\":[4]}}", "selector.tiers")]
    [InlineData("{\"name\":\"x\",\"artifactId\":\"" + Sha + "\",\"pauseOnAnomaly\":{\"failureRate\":1.5,\"window\":10}}", "pauseOnAnomaly.failureRate")]
    [InlineData("{\"name\":\"x\",\"artifactId\":\"" + Sha + "\",\"tier2Windows\":[{\"start\":\"25:00\",\"end\":\"06:00\"}]}", "tier2Windows[0]")]
    public async Task Create_InvalidBody_Returns400ProblemNamingTheField_AndStoresNothing(string json, string field)
    {
        var before = _node.Replica.Fingerprint();
        using var response = await _node.Http.PostAsync("/api/v1/campaigns", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, _node.Replica.Fingerprint());
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400ProblemWithDetail()
    {
        var (status, problem) = await _node.PostAsync("/api/v1/campaigns", "{not json");
        Assert.Equal(400, status);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListAndGet_ReturnCampaigns_AndUnknownIdIs404Problem()
    {
        var id = await CreateAsync();
        var list = await _node.GetJsonAsync("/api/v1/campaigns");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        var one = await _node.GetJsonAsync($"/api/v1/campaigns/{id}");
        Assert.Equal("wave-1", one.GetProperty("name").GetString());

        using var missing = await _node.Http.GetAsync("/api/v1/campaigns/camp-nope");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("camp-nope", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Controls_FollowTheLifecycle_AndResumeAfterCancelIs409()
    {
        var id = await CreateAsync(new { name = "no-approval", artifactId = Sha, approvalRequired = false });
        Assert.Equal("running", (await _node.PostAsync($"/api/v1/campaigns/{id}/start", null)).Body.GetProperty("state").GetString());
        Assert.Equal("paused", (await _node.PostAsync($"/api/v1/campaigns/{id}/pause", null)).Body.GetProperty("state").GetString());
        Assert.Equal("running", (await _node.PostAsync($"/api/v1/campaigns/{id}/resume", null)).Body.GetProperty("state").GetString());
        Assert.Equal("cancelled", (await _node.PostAsync($"/api/v1/campaigns/{id}/cancel", new { rollback = true })).Body.GetProperty("state").GetString());

        var before = _node.Replica.Fingerprint();
        var (status, problem) = await _node.PostAsync($"/api/v1/campaigns/{id}/resume", null);
        Assert.Equal(409, status);
        Assert.Contains("cancel is final", problem.GetProperty("detail").GetString());
        Assert.Equal(409, (await _node.PostAsync($"/api/v1/campaigns/{id}/start", null)).Status);
        Assert.Equal(409, (await _node.PostAsync($"/api/v1/campaigns/{id}/cancel", null)).Status);
        Assert.Equal(before, _node.Replica.Fingerprint());
    }

    [Fact]
    public async Task Start_WithApprovalRequiredAndNoQuorum_IsAwaitingApproval()
    {
        var id = await CreateAsync();
        var (status, body) = await _node.PostAsync($"/api/v1/campaigns/{id}/start", null);
        Assert.Equal(200, status);
        Assert.Equal("awaiting-approval", body.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("start")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("cancel")]
    public async Task Control_UnknownCampaign_Is404(string verb)
    {
        Assert.Equal(404, (await _node.PostAsync($"/api/v1/campaigns/camp-missing/{verb}", null)).Status);
    }

    [Fact]
    public async Task Writes_AreAudited()
    {
        var id = await CreateAsync();
        await _node.PostAsync($"/api/v1/campaigns/{id}/pause", null);
        var audit = await _node.GetJsonAsync($"/api/v1/audit?campaign={id}");
        var actions = audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToArray();
        Assert.Contains("campaign-defined", actions);
        Assert.Contains("campaign-pause", actions);
    }

    private static StringContent JsonContent(object o) => new(JsonSerializer.Serialize(o), System.Text.Encoding.UTF8, "application/json");
}
