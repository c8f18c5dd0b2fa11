using System.Net;
using System.Text.Json;
using Lunar.Dtn.Hosting.Dashboard;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>
/// 200 live feed clients (GET /api/v1/events), from one principal and from many: the node serves the ones within its caps
/// (8 per principal, a total), refuses the rest at once with a 429 naming the cap, builds one snapshot per change for all of
/// them, stays under 1 GB, and keeps answering /healthz in under 100 ms while they are connected.
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class FeedClientCapTests(ITestOutputHelper output)
{
    private const long OneGigabyte = 1L << 30;
    private static readonly TimeSpan HealthBound = TimeSpan.FromMilliseconds(100);

    /// <summary>An open feed: its response, and a reader that has already read its first snapshot.</summary>
    private sealed record Feed(HttpResponseMessage Response, StreamReader Reader, JsonElement First) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Response.Dispose();
        }
    }

    /// <summary>Opens a feed as <paramref name="principal"/>: the open feed, or the refusal (status and problem).</summary>
    private static async Task<(Feed? Feed, int Status, JsonElement Problem)> OpenAsync(AbuseWorld world, string principal)
    {
        var response = await world.As(principal).GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                return (null, (int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
            }
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await AbuseWorld.NextSnapshotAsync(reader, $"the first snapshot of {principal}'s feed");
        return (new Feed(response, reader, first), 200, default);
    }

    private static DashboardEvents Events(AbuseWorld world) => world.Node.Services.GetRequiredService<DashboardEvents>();

    /// <summary>
    /// The test process's working set when this test began: the node runs inside the test host, which also holds what
    /// every earlier test of the suite left behind (over 1 GB after a full run), so the bound is on what the abuse adds.
    /// </summary>
    private readonly long _baseline = AbuseWorld.WorkingSetBytes();

    private async Task AssertServingAsync(AbuseWorld world, string when)
    {
        var health = await world.HealthzMedianAsync();
        var ws = AbuseWorld.WorkingSetBytes();
        var grown = ws - _baseline;
        output.WriteLine($"{when}: /healthz median {health.TotalMilliseconds:F1} ms, working set {ws / (1024 * 1024)} MB ({grown / (1024 * 1024)} MB more than when the test began)");
        Assert.True(health < HealthBound, $"{when}: /healthz took {health.TotalMilliseconds:F1} ms (median of 5); the bound is {HealthBound.TotalMilliseconds} ms");
        Assert.True(grown < OneGigabyte, $"{when}: the working set grew by {grown / (1024 * 1024)} MB to {ws / (1024 * 1024)} MB; the bound is 1024 MB of growth");
    }

    [Fact]
    public async Task TwoHundredFeedClients_OfOnePrincipal_EightAreServed_TheRestGet429NamingTheCap_AndEveryoneElseIsStillServed()
    {
        await using var world = await AbuseWorld.StartAsync(viewers: 2);
        output.WriteLine($"before: working set {AbuseWorld.WorkingSetBytes() / (1024 * 1024)} MB");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => OpenAsync(world, "v00")));
        var open = attempts.Where(a => a.Feed is not null).Select(a => a.Feed!).ToList();
        try
        {
            Assert.Equal(8, open.Count);
            var refused = attempts.Where(a => a.Feed is null).ToArray();
            Assert.Equal(192, refused.Length);
            Assert.All(refused, r =>
            {
                Assert.Equal(429, r.Status);
                var detail = r.Problem.GetProperty("detail").GetString()!;
                Assert.Contains("at most 8", detail, StringComparison.Ordinal);
                Assert.Contains("Dashboard:MaxFeedClientsPerPrincipal", detail, StringComparison.Ordinal);
                Assert.Equal(8, r.Problem.GetProperty("limit").GetInt32());
            });
            Assert.All(open, f => Assert.Equal("moon", f.First.GetProperty("node").GetString()));
            Assert.Equal(8, Events(world).Slots.HeldBy("v00"));
            await AssertServingAsync(world, "v00 holding 8 feeds after 200 attempts");

            // Everyone else is still served: another principal's feed, and the API.
            var (other, status, _) = await OpenAsync(world, "v01");
            Assert.Equal(200, status);
            other!.Dispose();
            using (var dashboard = await world.As("v01").GetAsync("/api/v1/dashboard")) Assert.Equal(200, (int)dashboard.StatusCode);
        }
        finally
        {
            foreach (var f in open) f.Dispose();
        }
        // The slots come back when the clients go: v00 may open a feed again.
        await Eventually.Holds(() => Events(world).Slots.InUse == 0, "every feed slot to be given back");
        var (again, againStatus, _) = await OpenAsync(world, "v00");
        Assert.Equal(200, againStatus);
        again!.Dispose();
    }

    [Fact]
    public async Task TwoHundredFeedClients_OfTwentyFivePrincipals_AreAllServed_WithOneSnapshotPerChange_AndTheCapsRefuseTheNext()
    {
        await using var world = await AbuseWorld.StartAsync(viewers: 25, extraArgs: ["--Dashboard:MaxFeedClients=200"]);
        var before = AbuseWorld.WorkingSetBytes();
        output.WriteLine($"before: working set {before / (1024 * 1024)} MB");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => OpenAsync(world, AbuseWorld.Viewer(i % 25))));
        var open = attempts.Select(a => a.Feed).OfType<Feed>().ToList();
        try
        {
            Assert.Equal(200, open.Count);
            await AssertServingAsync(world, "200 feeds of 25 principals connected");

            // The original attack, both halves at once: 200 feeds open and a 5 MB campaign name. Refused naming the field, nothing stored.
            var fingerprint = world.Node.Replica.Fingerprint();
            var (refusedName, nameProblem) = await world.Node.PostAsync("/api/v1/campaigns", new { name = new string('x', 5 * 1024 * 1024), artifactId = new string('d', 64) });
            Assert.Equal(400, refusedName);
            Assert.True(nameProblem.GetProperty("errors").TryGetProperty("name", out _), nameProblem.ToString());
            Assert.Equal(fingerprint, world.Node.Replica.Fingerprint());
            await AssertServingAsync(world, "200 feeds and a 5 MB name refused");

            // Over the cap: a ninth feed of one principal, and any feed once the node serves its total.
            var (_, ninth, perPrincipal) = await OpenAsync(world, AbuseWorld.Viewer(3));
            Assert.Equal(429, ninth);
            Assert.Contains("at most 8", perPrincipal.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var (_, total, node) = await OpenAsync(world, "ada");
            Assert.Equal(429, total);
            Assert.Contains("Dashboard:MaxFeedClients = 200", node.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("node", node.GetProperty("scope").GetString());

            // One change reaches all 200, built once for all of them (plus heartbeats), not once per client.
            var built = Events(world).SnapshotsBuilt;
            var revision = open.Max(f => f.First.GetProperty("revision").GetInt64());
            var (created, _) = await world.Node.PostAsync("/api/v1/artifacts",
                new { name = "feed-change", version = "1.0.0", sha256 = new string('d', 64), sizeBytes = 1024 });
            Assert.Equal(201, created);
            await Task.WhenAll(open.Select(async f =>
            {
                JsonElement next;
                do next = await AbuseWorld.NextSnapshotAsync(f.Reader, "the snapshot after the change");
                while (next.GetProperty("revision").GetInt64() <= revision);
            }));
            var builds = Events(world).SnapshotsBuilt - built;
            output.WriteLine($"snapshots built while 200 clients received the change: {builds}");
            Assert.InRange(builds, 1, 20);
            await AssertServingAsync(world, "200 feeds after a change");
        }
        finally
        {
            foreach (var f in open) f.Dispose();
        }
        await Eventually.Holds(() => Events(world).Slots.InUse == 0, "every feed slot to be given back");
    }
}
