using System.Text.Json;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

public sealed class ApprovalApiTests(ApproverMoonFixture fixture) : IClassFixture<ApproverMoonFixture>
{
    private const long SignedAt = 1_760_000_000_000;
    private readonly InProcessNode _node = fixture.Node;

    private async Task<(string Id, string Hash)> CreateCampaignAsync(string name = "wave-1")
    {
        var (status, body) = await _node.PostAsync("/api/v1/campaigns", new { name, artifactId = ApproverMoonFixture.Sha });
        Assert.Equal(201, status);
        var id = body.GetProperty("id").GetString()!;
        var hash = (await _node.GetJsonAsync($"/api/v1/approvals/{id}")).GetProperty("contentHash").GetString()!;
        return (id, hash);
    }

    /// <summary>An approval body signed with <paramref name="key"/>, claiming to be by <paramref name="approverId"/> as <paramref name="role"/>.</summary>
    private static object Signed(NodeKey key, string campaignId, string hash, string role, string? approverId = null, ApprovalDecision decision = ApprovalDecision.Approve)
    {
        var who = approverId ?? key.Id;
        var signature = key.Sign(ApprovalRecord.SigningBytes(campaignId, hash, decision, who, role, SignedAt));
        return new { approverId = who, role, contentHash = hash, decision = decision.ToString().ToLowerInvariant(), signedAtMs = SignedAt, signature = Convert.ToHexStringLower(signature) };
    }

    private object SignedBy(string name, string campaignId, string hash, string role)
    {
        using var key = fixture.Key(name);
        return Signed(key, campaignId, hash, role);
    }

    private static string[] CountedApprovers(JsonElement view) =>
        view.GetProperty("counted").EnumerateArray().Select(c => c.GetProperty("approverId").GetString()!).Order().ToArray();

    [Fact]
    public async Task Submit_ValidApprovalByKnownApprover_Returns201AndCountsInGet()
    {
        var (id, hash) = await CreateCampaignAsync();
        var (status, body) = await _node.PostAsync($"/api/v1/approvals/{id}", SignedBy("alice", id, hash, "flight-director"));

        Assert.Equal(201, status);
        Assert.Equal(["alice"], CountedApprovers(body));
        var view = await _node.GetJsonAsync($"/api/v1/approvals/{id}");
        Assert.Equal(["alice"], CountedApprovers(view));
        Assert.False(view.GetProperty("quorumHolds").GetBoolean());
        Assert.Contains(view.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("base-lead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_FlightDirectorAndBaseLead_QuorumHoldsAndStartRuns()
    {
        var (id, hash) = await CreateCampaignAsync();
        Assert.Equal(201, (await _node.PostAsync($"/api/v1/approvals/{id}", SignedBy("alice", id, hash, "flight-director"))).Status);
        Assert.False((await _node.GetJsonAsync($"/api/v1/approvals/{id}")).GetProperty("quorumHolds").GetBoolean());
        Assert.Equal(201, (await _node.PostAsync($"/api/v1/approvals/{id}", SignedBy("bob", id, hash, "base-lead"))).Status);

        var view = await _node.GetJsonAsync($"/api/v1/approvals/{id}");
        Assert.True(view.GetProperty("quorumHolds").GetBoolean(), view.ToString());
        Assert.Equal(["alice", "bob"], CountedApprovers(view));
        Assert.Equal("running", (await _node.PostAsync($"/api/v1/campaigns/{id}/start", null)).Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Submit_TwoFlightDirectors_QuorumDoesNotHold()
    {
        var (id, hash) = await CreateCampaignAsync();
        Assert.Equal(201, (await _node.PostAsync($"/api/v1/approvals/{id}", SignedBy("alice", id, hash, "flight-director"))).Status);
        Assert.Equal(201, (await _node.PostAsync($"/api/v1/approvals/{id}", SignedBy("carol", id, hash, "flight-director"))).Status);

        var view = await _node.GetJsonAsync($"/api/v1/approvals/{id}");
        Assert.Equal(["alice", "carol"], CountedApprovers(view));
        Assert.False(view.GetProperty("quorumHolds").GetBoolean());
        Assert.Equal(new[] { "a base-lead" }, view.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    [Fact]
    public async Task Submit_SameApprovalTwice_Returns200AndChangesNothing()
    {
        var (id, hash) = await CreateCampaignAsync();
        var approval = SignedBy("alice", id, hash, "flight-director");
        Assert.Equal(201, (await _node.PostAsync($"/api/v1/approvals/{id}", approval)).Status);
        var before = _node.Replica.Fingerprint();

        var (status, body) = await _node.PostAsync($"/api/v1/approvals/{id}", approval);

        Assert.Equal(200, status);
        Assert.Equal(["alice"], CountedApprovers(body));
        Assert.Equal(before, _node.Replica.Fingerprint());
    }

    [Fact]
    public async Task Submit_ValidlySignedRejection_Returns201AndIsListedAsRefused()
    {
        var (id, hash) = await CreateCampaignAsync();
        using var bob = fixture.Key("bob");

        var (status, body) = await _node.PostAsync($"/api/v1/approvals/{id}", Signed(bob, id, hash, "base-lead", decision: ApprovalDecision.Reject));

        Assert.Equal(201, status);
        Assert.Empty(CountedApprovers(body));
        var refused = Assert.Single(body.GetProperty("refused").EnumerateArray());
        Assert.Equal("bob", refused.GetProperty("approverId").GetString());
        Assert.Contains("rejection", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ForgedSignature_Returns400Problem()
    {
        var (id, hash) = await CreateCampaignAsync();
        using var bob = fixture.Key("bob");
        // bob signs, claiming to be alice.
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", Signed(bob, id, hash, "flight-director", approverId: "alice"), 400, "alice", "signature");
        Assert.Empty(CountedApprovers(await _node.GetJsonAsync($"/api/v1/approvals/{id}")));
    }

    [Fact]
    public async Task Submit_SignatureOverAnotherCampaign_Returns400Problem()
    {
        var (id, hash) = await CreateCampaignAsync();
        var (other, _) = await CreateCampaignAsync("wave-2");
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{other}", SignedBy("alice", id, hash, "flight-director"), 400, "signature");
    }

    [Fact]
    public async Task Submit_UnknownApprover_Returns400Problem()
    {
        var (id, hash) = await CreateCampaignAsync();
        using var mallory = NodeKey.Generate("mallory");
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", Signed(mallory, id, hash, "flight-director"), 400, "mallory");
    }

    [Fact]
    public async Task Submit_ClaimingARoleTheApproverDoesNotHold_Returns400Problem()
    {
        var (id, hash) = await CreateCampaignAsync();
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", SignedBy("alice", id, hash, "base-lead"), 400, "flight-director", "base-lead");
    }

    [Theory]
    [InlineData("not-hex-at-all", "hex")]
    [InlineData("abcd", "64")]
    public async Task Submit_MalformedSignature_Returns400Problem(string signature, string mention)
    {
        var (id, hash) = await CreateCampaignAsync();
        var body = new { approverId = "alice", role = "flight-director", contentHash = hash, decision = "approve", signedAtMs = SignedAt, signature };
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", body, 400, "signature", mention);
    }

    [Fact]
    public async Task Submit_MissingFields_Returns400ProblemNamingThem()
    {
        var (id, _) = await CreateCampaignAsync();
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", new { approverId = "alice" }, 400, "contentHash", "signature", "required");
    }

    [Fact]
    public async Task Submit_UnknownDecision_Returns400Problem()
    {
        var (id, hash) = await CreateCampaignAsync();
        var body = new { approverId = "alice", role = "flight-director", contentHash = hash, decision = "maybe", signedAtMs = SignedAt, signature = new string('a', 128) };
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", body, 400, "maybe");
    }

    [Fact]
    public async Task Submit_MalformedJson_Returns400Problem()
    {
        var (id, _) = await CreateCampaignAsync();
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", "{\"approverId\":", 400, "JSON");
    }

    [Fact]
    public async Task Submit_ApprovalOfAnOlderCampaignVersion_Returns400AndEarlierApprovalStopsCounting()
    {
        var (id, hash) = await CreateCampaignAsync();
        Assert.Equal(201, (await _node.PostAsync($"/api/v1/approvals/{id}", SignedBy("alice", id, hash, "flight-director"))).Status);
        var bobsApproval = SignedBy("bob", id, hash, "base-lead");

        // The campaign's content changes after both signed (a definition can only change through a new DefineCampaign).
        _node.Replica.DefineCampaign(id, "operator@moon", ctx => new CampaignDefinition { Name = new("wave-1-renamed", ctx.Stamp, ctx.ReplicaId) });

        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", bobsApproval, 400, "another version");
        var view = await _node.GetJsonAsync($"/api/v1/approvals/{id}");
        Assert.NotEqual(hash, view.GetProperty("contentHash").GetString());
        Assert.Empty(CountedApprovers(view));
        var refused = Assert.Single(view.GetProperty("refused").EnumerateArray());
        Assert.Contains("another version", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterRevocation_ApprovalNoLongerCountsAndCannotBeResubmitted()
    {
        var (id, hash) = await CreateCampaignAsync();
        var approval = SignedBy("alice", id, hash, "flight-director");
        var (_, created) = await _node.PostAsync($"/api/v1/approvals/{id}", approval);
        var approvalId = created.GetProperty("counted")[0].GetProperty("approvalId").GetString()!;

        _node.Replica.RevokeApproval(new ApprovalRevocation("rev-" + approvalId, approvalId, "alice", SignedAt + 1, "signed the wrong wave"));

        var view = await _node.GetJsonAsync($"/api/v1/approvals/{id}");
        Assert.Empty(CountedApprovers(view));
        Assert.Contains(view.GetProperty("refused").EnumerateArray(), r => r.GetProperty("reason").GetString()!.Contains("revoked", StringComparison.Ordinal));
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{id}", approval, 400, "revoked");
    }

    [Fact]
    public async Task SubmitAndGet_UnknownCampaign_Return404Problem()
    {
        var (id, hash) = await CreateCampaignAsync();
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/approvals/camp-nope", SignedBy("alice", id, hash, "flight-director"), 404, "camp-nope");
        await ProblemAssert.GetRefusedAsync(_node, "/api/v1/approvals/camp-nope", 404, "camp-nope");
    }
}
