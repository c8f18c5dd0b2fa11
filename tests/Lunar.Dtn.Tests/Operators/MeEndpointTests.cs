using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>GET /api/v1/me: the principal the client certificate names, as the audit log will name it.</summary>
public sealed class MeEndpointTests : IDisposable
{
    private readonly TempDir _dir = new("lunar-me");

    public void Dispose() => _dir.Dispose();

    /// <summary>A Moon on a constellation with the test operators, alice and bob (approvers) and the agent of srv-001.</summary>
    private Task<InProcessNode> StartAsync()
    {
        var c = _dir.Sub("c");
        TestCredentials.Create(c, ["moon"], agents: ["srv-001"]);
        return InProcessNode.StartAsync(NodeRole.Moon, "moon", [$"--Node:Constellation={c}/constellation.json", $"--Node:KeyFile={c}/moon.key"], _dir.Sub("moon"));
    }

    [Theory]
    [InlineData("vic", "viewer")]
    [InlineData("oscar", "operator")]
    [InlineData("ada", "admin")]
    [InlineData("alice", "flight-director")]
    public async Task Me_NamesTheCertificatesPrincipal_ItsKindRoleAndConstellationVersion(string id, string role)
    {
        await using var node = await StartAsync();
        using var http = node.ClientAs(id);

        var me = await http.GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(id, me.GetProperty("id").GetString());
        Assert.Equal(id == "alice" ? "approver" : "operator", me.GetProperty("kind").GetString());
        Assert.Equal(role, me.GetProperty("role").GetString());
        Assert.Equal(1, me.GetProperty("constellationVersion").GetInt32());
        Assert.True(me.GetProperty("tlsNotAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(300));
    }

    [Fact]
    public async Task Me_WithoutACertificate_Is401_AndForAnAgent_Is403NamingTheRole()
    {
        await using var node = await StartAsync();
        using var anonymous = node.Anonymous();
        using var agent = node.ClientAs("srv-001");

        using var none = await anonymous.GetAsync("/api/v1/me");
        using var forbidden = await agent.GetAsync("/api/v1/me");

        Assert.Equal(401, (int)none.StatusCode);
        Assert.Equal(403, (int)forbidden.StatusCode);
        Assert.Contains("viewer", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
