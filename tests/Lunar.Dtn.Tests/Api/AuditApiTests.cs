using System.Text.Json;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

public sealed class AuditApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    /// <summary>Creates a campaign as <paramref name="principal"/> (its certificate, which is what the audit log names).</summary>
    private async Task<string> CreateAsOperatorAsync(string principal)
    {
        using var client = _node.ClientAs(principal);
        using var response = await client.PostAsync("/api/v1/campaigns",
            ProblemAssert.Json(new { name = "audited", artifactId = MoonNodeFixture.Sha, approvalRequired = false }));
        Assert.Equal(201, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement[]> AuditAsync(string query) => (await _node.GetJsonAsync("/api/v1/audit" + query)).EnumerateArray().ToArray();

    [Fact]
    public async Task Get_NoFilter_ReturnsEntriesOrderedByTimeWithHashChain()
    {
        await CreateAsOperatorAsync("oscar");
        var all = await AuditAsync("");
        Assert.NotEmpty(all);
        var times = all.Select(a => a.GetProperty("time").GetDateTimeOffset()).ToArray();
        Assert.Equal(times.Order(), times);
        foreach (var entry in all)
        {
            foreach (var field in new[] { "replica", "index", "actor", "action", "details", "hash", "prevHash" })
                Assert.True(entry.TryGetProperty(field, out _), $"audit entry lacks {field}: {entry}");
        }
    }

    [Fact]
    public async Task Get_FilterByCampaign_ReturnsOnlyThatCampaign()
    {
        var mine = await CreateAsOperatorAsync("oscar");
        var other = await CreateAsOperatorAsync("oscar");
        await _node.PostAsync($"/api/v1/campaigns/{mine}/start", null);

        var entries = await AuditAsync($"?campaign={mine}");
        Assert.Equal(new[] { "campaign-defined", "campaign-run" }, entries.Select(e => e.GetProperty("action").GetString()!).ToArray());
        Assert.DoesNotContain(entries, e => e.GetProperty("details").GetString()!.Contains(other, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_FilterByActionAndActor_ReturnsOnlyMatchingEntries()
    {
        var id = await CreateAsOperatorAsync("oscar");
        await CreateAsOperatorAsync("ada");

        var byOscar = await AuditAsync("?actor=oscar");
        Assert.NotEmpty(byOscar);
        Assert.All(byOscar, e => Assert.Equal("oscar", e.GetProperty("actor").GetString()));
        Assert.Contains(byOscar, e => e.GetProperty("details").GetString()!.Contains(id, StringComparison.Ordinal));

        var defined = await AuditAsync("?action=campaign-defined&actor=ada");
        Assert.NotEmpty(defined);
        Assert.All(defined, e => Assert.Equal("campaign-defined", e.GetProperty("action").GetString()));
        Assert.Empty(await AuditAsync("?action=no-such-action"));
    }

    [Fact]
    public async Task Get_FilterByReplica_ReturnsOnlyThatReplicasLog()
    {
        await CreateAsOperatorAsync("oscar");
        var moon = await AuditAsync("?replica=moon");
        Assert.NotEmpty(moon);
        Assert.All(moon, e => Assert.Equal("moon", e.GetProperty("replica").GetString()));
        Assert.Empty(await AuditAsync("?replica=earth"));
    }

    [Fact]
    public async Task Get_Limit_ReturnsTheLatestEntries()
    {
        await CreateAsOperatorAsync("oscar");
        var last = await CreateAsOperatorAsync("ada");
        var all = await AuditAsync("");

        var latest = Assert.Single(await AuditAsync("?limit=1"));
        Assert.Equal(all[^1].GetProperty("hash").GetString(), latest.GetProperty("hash").GetString());
        Assert.Contains(last, latest.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await AuditAsync("?limit=2")).Length);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=-3", "limit")]
    [InlineData("?limit=many", "limit")]
    public async Task Get_BadLimit_Returns400Problem(string query, string mention)
    {
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/audit" + query, 400, mention);
    }
}
