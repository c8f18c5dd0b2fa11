using System.Net;
using System.Text;
using System.Text.Json;
using Lunar.Dtn.Tests.Api;
using Lunar.Dtn.Tests.Support;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>
/// Every string and list of a body has a documented bound (BodyLimits): over it is a 400 naming the field, and nothing is
/// stored; a body over its endpoint's cap is never held, yet still answered with the field that made it too long.
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class BodyBoundsTests(MoonNodeFixture fixture, ITestOutputHelper output) : IClassFixture<MoonNodeFixture>
{
    private const string Sha = MoonNodeFixture.Sha;
    private const int FiveMegabytes = 5 * 1024 * 1024;
    private readonly InProcessNode _node = fixture.Node;

    private static void AssertNamesField(JsonElement problem, string field, string message)
    {
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var errors), $"errors should name {field}: {problem}");
        Assert.Contains(message, errors[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveMegabyteCampaignName_Is400NamingTheField_AndStoresNothing_WhileA200CharacterNameIsCreated()
    {
        var before = AbuseWorld.WorkingSetBytes();
        var problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns", new { name = new string('x', FiveMegabytes), artifactId = Sha }, 400,
            "name is 5,242,880 characters; at most 200");
        AssertNamesField(problem, "name", "name is 5,242,880 characters; at most 200");
        output.WriteLine($"5 MB name: {problem.GetProperty("detail").GetString()}; working set {before / (1024 * 1024)} -> {AbuseWorld.WorkingSetBytes() / (1024 * 1024)} MB");

        // Just over the bound, within the body cap: the ordinary validation names it the same way.
        problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns", new { name = new string('x', 201), artifactId = Sha }, 400,
            "name is 201 characters; at most 200");
        AssertNamesField(problem, "name", "at most 200");

        // Positive control: at the bound, the campaign is created.
        var (status, body) = await _node.PostAsync("/api/v1/campaigns", new { name = new string('x', 200), artifactId = Sha });
        Assert.Equal(201, status);
        Assert.Equal(200, body.GetProperty("name").GetString()!.Length);
    }

    [Fact]
    public async Task FiveMegabyteName_SentChunked_WithoutContentLength_IsAlso400NamingTheField_AndASmallChunkedBodyIsAccepted()
    {
        static HttpContent Chunked(string json)
        {
            var chunked = new NoLength(new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))));
            chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return chunked;
        }
        var huge = JsonSerializer.Serialize(new { name = new string('y', FiveMegabytes), artifactId = Sha });
        var problem = await ProblemAssert.RefusedAsync(_node, http => http.PostAsync("/api/v1/campaigns", Chunked(huge)), 400, "name is 5,242,880 characters; at most 200");
        AssertNamesField(problem, "name", "at most 200");

        var (status, _) = await SendAsync(http => http.PostAsync("/api/v1/campaigns", Chunked(JsonSerializer.Serialize(new { name = "chunked", artifactId = Sha }))));
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task OverLongLists_Are400NamingTheList_BelowAndAboveTheBodyCap_AndAListAtItsBoundIsAccepted()
    {
        string[] Sites(int n) => Enumerable.Range(0, n).Select(i => $"site-{i}").ToArray();
        // Under the 64 KiB body cap: the ordinary validation.
        var problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns", new { name = "many", artifactId = Sha, selector = new { sites = Sites(300) } }, 400,
            "selector.sites has 300 items; at most 256");
        AssertNamesField(problem, "selector.sites", "at most 256");
        // Over the body cap (20,000 sites, ~240 KB): diagnosed as it streams past, never held.
        problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns", new { name = "more", artifactId = Sha, selector = new { sites = Sites(20_000) } }, 400,
            "selector.sites has 20,000 items; at most 256");
        AssertNamesField(problem, "selector.sites", "at most 256");
        // A long element, and too many windows.
        problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns", new { name = "long", artifactId = Sha, selector = new { clusters = new[] { "c1", new string('c', 129) } } }, 400,
            "selector.clusters[1] is 129 characters; at most 128");
        problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns",
            new { name = "windows", artifactId = Sha, tier2Windows = Enumerable.Repeat(new { start = "01:00", end = "02:00" }, 49).ToArray() }, 400, "tier2Windows has 49 items; at most 48");

        var (status, _) = await _node.PostAsync("/api/v1/campaigns", new { name = "at-bound", artifactId = Sha, selector = new { sites = Sites(256) } });
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task OversizedBody_WithNoLongField_Is413NamingTheCap_AndStoresNothing()
    {
        // 100,000 small numbers in a field the campaign does not have: no single field to blame, the body is simply too big.
        var padded = JsonSerializer.Serialize(new { name = "padded", artifactId = Sha, padding = Enumerable.Repeat(1, 100_000).ToArray() });
        var problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/campaigns", padded, 413, "at most 65,536 bytes");
        Assert.Equal(65_536, problem.GetProperty("maxBytes").GetInt32());
        // Declared beyond what is ever read: refused by its Content-Length, unread.
        // (Expect: 100-continue: the client sends the body only if the node asks for it, which it does not.)
        var declared = await ProblemAssert.RefusedAsync(_node, http => http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/artifacts")
            {
                Content = new DeclaredLength(20L * 1024 * 1024),
                Headers = { ExpectContinue = true },
            }), 413,
            "the body is 20,971,520 bytes", "at most 65,536 bytes");
        Assert.Equal(413, declared.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task OverLongFields_OfArtifactsApprovalsAndConstellations_Are400NamingTheField()
    {
        var problem = await ProblemAssert.PostRefusedAsync(_node, "/api/v1/artifacts",
            new { name = "lunar-os", version = new string('9', 65), sha256 = new string('e', 64), sizeBytes = 10 }, 400, "version is 65 characters; at most 64");
        AssertNamesField(problem, "version", "at most 64");
        var campaign = (await _node.PostAsync("/api/v1/campaigns", new { name = "to-approve", artifactId = Sha })).Body.GetProperty("id").GetString();
        await ProblemAssert.PostRefusedAsync(_node, $"/api/v1/approvals/{campaign}",
            new { approverId = "alice", role = "flight-director", contentHash = new string('a', 64), signedAtMs = 1, signature = new string('0', 1_000_000) }, 400,
            "signature is 1,000,000 characters; at most 128");
        await ProblemAssert.PostRefusedAsync(_node, "/api/v1/constellation",
            new { version = 2, root = new string('f', 100_000), nodes = Array.Empty<object>(), approvers = Array.Empty<object>(), revokedKeys = Array.Empty<string>(), signature = "" }, 400,
            "root is 100,000 characters; at most 64");
    }

    private async Task<(int Status, string Body)> SendAsync(Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        using var response = await send(_node.Http);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Content that hides its length, so that HttpClient sends it chunked.</summary>
    private sealed class NoLength(HttpContent inner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream, context);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Content that declares <paramref name="length"/> bytes and would send zeros (the node refuses it before reading).</summary>
    private sealed class DeclaredLength : HttpContent
    {
        private readonly long _length;

        public DeclaredLength(long length)
        {
            _length = length;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var zeros = new byte[64 * 1024];
            try
            {
                for (long sent = 0; sent < _length; sent += zeros.Length)
                    await stream.WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, _length - sent)));
            }
            catch (IOException) { } // the node answered and closed without reading it
            catch (HttpRequestException) { }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
