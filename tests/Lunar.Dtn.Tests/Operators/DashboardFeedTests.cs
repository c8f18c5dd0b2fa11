using System.Text.Json;
using Lunar.Dtn.Tests.Api;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>The dashboard's data: the snapshot endpoint, the server-sent event feed, and its static files.</summary>
public sealed class DashboardFeedTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    /// <summary>Reads the next "event: snapshot" from the stream; fails naming what it waited for.</summary>
    private static async Task<JsonElement> NextSnapshotAsync(StreamReader reader, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? eventName = null;
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "snapshot") return JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
        }
        catch (OperationCanceledException) { }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    [Fact]
    public async Task Events_SendASnapshotAtOnce_ThenOneAfterAChange_AndHeartbeatsWhenNothingChanges()
    {
        using var response = await _node.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await NextSnapshotAsync(reader, "the first snapshot");
        Assert.Equal("moon", first.GetProperty("node").GetString());
        var revision = first.GetProperty("revision").GetInt64();

        var (status, body) = await _node.PostAsync("/api/v1/campaigns", new { name = "feed", artifactId = MoonNodeFixture.Sha, approvalRequired = false });
        Assert.Equal(201, status);
        var id = body.GetProperty("id").GetString();
        JsonElement next;
        do next = await NextSnapshotAsync(reader, $"a snapshot that shows campaign {id}");
        while (!next.GetProperty("campaigns").EnumerateArray().Any(c => c.GetProperty("id").GetString() == id));
        Assert.True(next.GetProperty("revision").GetInt64() > revision);

        // Nothing changes now: heartbeats still come, each with a later node time.
        var a = await NextSnapshotAsync(reader, "a heartbeat");
        var b = await NextSnapshotAsync(reader, "a second heartbeat");
        Assert.True(b.GetProperty("now").GetDateTimeOffset() > a.GetProperty("now").GetDateTimeOffset());
    }

    [Fact]
    public async Task Snapshot_ListsServersNeedingAttention_AndTheSyncState()
    {
        const string Server = "srv-x"; // one of MoonNodeFixture.Agents: its agent has a certificate
        var agent = new ScriptedAgent(_node.Http, Server);
        await agent.RegisterAsync("malapert", 3);
        var (_, body) = await _node.PostAsync("/api/v1/campaigns", new { name = "attention", artifactId = MoonNodeFixture.Sha, approvalRequired = false, selector = new { sites = new[] { "malapert" } } });
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal(200, (await _node.PostAsync($"/api/v1/campaigns/{id}/start", null)).Status);
        await agent.TakeAssignmentAsync(TimeSpan.FromSeconds(20));
        await agent.RunAsync(ScriptedAgent.FailurePath);

        var snap = await _node.GetJsonAsync("/api/v1/dashboard");
        var row = snap.GetProperty("attention").EnumerateArray().Single(s => s.GetProperty("id").GetString() == Server);
        Assert.Equal("rolled-back", row.GetProperty("phase").GetString());
        Assert.Equal(id, row.GetProperty("campaignId").GetString());
        Assert.Equal("malapert", row.GetProperty("site").GetString());
        Assert.True(snap.GetProperty("attentionTotal").GetInt32() >= 1);
        Assert.Equal("moon", snap.GetProperty("sync").GetProperty("node").GetString());
        Assert.Contains(snap.GetProperty("artifacts").EnumerateArray(), a => a.GetProperty("id").GetString() == MoonNodeFixture.Sha);
    }

    [Fact]
    public async Task Snapshot_ListsACampaignAwaitingItsQuorum_WithWhatIsMissing()
    {
        var (_, body) = await _node.PostAsync("/api/v1/campaigns", new { name = "needs-quorum", artifactId = MoonNodeFixture.Sha, approvalRequired = true });
        var id = body.GetProperty("id").GetString()!;
        var snap = await _node.GetJsonAsync("/api/v1/dashboard");
        var approvals = snap.GetProperty("approvals").EnumerateArray().Single(a => a.GetProperty("campaignId").GetString() == id);
        Assert.False(approvals.GetProperty("quorumHolds").GetBoolean());
        Assert.Empty(approvals.GetProperty("counted").EnumerateArray());
        Assert.NotEmpty(approvals.GetProperty("missing").EnumerateArray());
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/dashboard/app.js", "text/javascript")]
    [InlineData("/dashboard/dashboard.css", "text/css")]
    public async Task Dashboard_StaticFiles_AreServedFromTheBuildOutput(string path, string type)
    {
        using var r = await _node.Http.GetAsync(path);
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal(type, r.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/dashboard/nothing.js")]
    [InlineData("/dashboard/..%2F..%2Fappsettings.json")]
    [InlineData("/dashboard/.hidden.js")]
    [InlineData("/dashboard/index.exe")]
    public async Task Dashboard_UnknownOrOutsideFile_Is404Problem(string path)
    {
        using var r = await _node.Http.GetAsync(path);
        Assert.Equal(404, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }
}
