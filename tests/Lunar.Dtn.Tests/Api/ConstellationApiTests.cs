using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

/// <summary>GET and POST /api/v1/constellation on real nodes: the version in force, new versions, and every bad input.</summary>
public sealed class ConstellationApiTests : IAsyncLifetime
{
    private readonly TempDir _dir = new("lunar-constellation");
    private InProcessNode _node = null!;

    private string Keys => _dir.Sub("constellation");
    private string FilePath => Path.Combine(Keys, DevConstellation.FileName);
    private Constellation V1 => Constellation.Load(FilePath);
    private NodeKey Root => NodeKey.Load(Path.Combine(Keys, "root.key"));

    public async Task InitializeAsync()
    {
        TestCredentials.Create(Keys, ["moon", "earth"], [("alice", "flight-director"), ("bob", "base-lead")]);
        _node = await StartAsync("moon");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _dir.Dispose();
    }

    private Task<InProcessNode> StartAsync(string id, params string[] extra) =>
        InProcessNode.StartAsync(id == "earth" ? NodeRole.Earth : NodeRole.Moon, id,
            [$"--Node:Constellation={FilePath}", $"--Node:KeyFile={Path.Combine(Keys, id + ".key")}", .. extra], _dir.Sub("data-" + id));

    private Constellation Next(Constellation current, Func<Constellation, Constellation> change, NodeKey? signer = null)
    {
        using var root = Root;
        return (change(current) with { Version = current.Version + 1, Signature = "" }).SignWith(signer ?? root);
    }

    private Constellation RevokingAlice(Constellation current) =>
        Next(current, c => c with { RevokedKeys = [.. c.RevokedKeys, c.Approvers.Single(a => a.Id == "alice").PublicKey] });

    private static string[] Revoked(JsonElement view, string list) =>
        view.GetProperty(list).EnumerateArray().Where(p => p.GetProperty("revoked").GetBoolean()).Select(p => p.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task Get_ReturnsTheVersionInForce_WithPrincipalsAndRevokedKeys()
    {
        var view = await _node.GetJsonAsync("/api/v1/constellation");

        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal(V1.Root, view.GetProperty("root").GetString());
        Assert.Equal(["earth", "moon"], view.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
        Assert.Equal(["alice", "bob"], view.GetProperty("approvers").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
        Assert.Empty(view.GetProperty("revokedKeys").EnumerateArray());
        Assert.Empty(view.GetProperty("versionsHeld").EnumerateArray());
    }

    [Fact]
    public async Task Post_NextVersion_Returns201_IsInForce_AndIsRecordedForReplication()
    {
        var v2 = RevokingAlice(V1);

        var (status, body) = await _node.PostAsync("/api/v1/constellation", v2.ToJson());

        Assert.Equal(201, status);
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.Equal(["alice"], Revoked(body, "approvers"));
        var view = await _node.GetJsonAsync("/api/v1/constellation");
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal([2], view.GetProperty("versionsHeld").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Contains(_node.Replica.Read((s, _) => s.Audit.Values.ToArray()), a => a.Action == "constellation-recorded");

        var (again, _) = await _node.PostAsync("/api/v1/constellation", v2.ToJson());
        Assert.Equal(200, again);
    }

    [Fact]
    public async Task Post_BadInputs_Return400WithAClearDetail_AndChangeNothing()
    {
        var v2 = RevokingAlice(V1);
        using var stranger = NodeKey.Generate("stranger");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", "{ not json", 400, "not valid JSON");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", "null", 400, "signed constellation");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", v2 with { RevokedKeys = [] }, 400, "signature does not match");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", Next(V1, c => c, stranger), 400, "not by the root key");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", Next(v2, c => c), 400, "version 2", "not held");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", V1 with { Approvers = [] }, 400, "signature");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", $"{{\"version\":2,\"root\":\"{V1.Root}\",\"nodes\":null,\"signature\":\"00\"}}", 400, "lacks its nodes");
        var otherV1 = (V1 with { Approvers = [], Signature = "" }).SignWith(Root);
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation", otherV1, 400, "differs from the version 1 already known");
        Assert.Equal(1, (await _node.GetJsonAsync("/api/v1/constellation")).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Restart_WithTheOldFile_UsesTheNewerVersionHeldInTheStore()
    {
        Assert.Equal(201, (await _node.PostAsync("/api/v1/constellation", RevokingAlice(V1).ToJson())).Status);
        await _node.DisposeAsync();

        _node = await StartAsync("moon");

        Assert.Equal(2, (await _node.GetJsonAsync("/api/v1/constellation")).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Post_OnEarth_ReachesTheMoonOverTheLink_WhichAdoptsIt()
    {
        var earth = await StartAsync("earth", "--Link:Listen=127.0.0.1:0");
        await using (earth)
        {
            var port = earth.Links.ListeningOn!.Port;
            await _node.DisposeAsync();
            _node = await StartAsync("moon", $"--Link:Peers=earth=127.0.0.1:{port}");

            Assert.Equal(201, (await earth.PostAsync("/api/v1/constellation", RevokingAlice(V1).ToJson())).Status);

            await Eventually.Holds(() => _node.Replica.Trust.Version == 2, "the moon to adopt version 2 from earth");
            Assert.Equal(["alice"], Revoked(await _node.GetJsonAsync("/api/v1/constellation"), "approvers"));
        }
    }
}
