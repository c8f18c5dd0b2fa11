using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>The bundle file endpoints of a running node: bad input is a problem+json saying why, and changes nothing.</summary>
public sealed class BundleFileApiTests
{
    [Fact]
    public async Task PostImport_NotABundleFile_Is400ProblemAndChangesNothing()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon");
        var before = node.Replica.Fingerprint();
        using var content = new ByteArrayContent("LDBF but not really"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(BundleFileVerbs.MediaType);
        using var response = await node.Http.PostAsync("/api/v1/bundles/import", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("truncated", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Truncated", problem.GetProperty("code").GetString());
        Assert.Equal(before, node.Replica.Fingerprint());
    }

    [Fact]
    public async Task GetExport_BadSinceOrSelf_Is400Problem_AndAGoodOneIsAFileForTheNamedNode()
    {
        using var keys = new TempDir("lunar-usb-api");
        TestCredentials.Create(keys.Path, ["moon", "tier1-alpha"], []);
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon",
            [$"--Node:Constellation={keys.Sub("constellation.json")}", $"--Node:KeyFile={keys.Sub("moon.key")}"]);
        using (var bad = await node.Http.GetAsync("/api/v1/bundles/export?for=tier1-alpha&since=moon/sideways:1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("moon/sideways:1", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var self = await node.Http.GetAsync("/api/v1/bundles/export?for=moon"))
            Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        using (var stranger = await node.Http.GetAsync("/api/v1/bundles/export?for=mallory"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
            Assert.Contains("unknown node 'mallory'", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var good = await node.Http.GetAsync("/api/v1/bundles/export?for=tier1-alpha");
        good.EnsureSuccessStatusCode();
        Assert.Equal(BundleFileVerbs.MediaType, good.Content.Headers.ContentType?.MediaType);
        var file = Lunar.Dtn.BundleFiles.BundleFileReader.Read(await good.Content.ReadAsByteArrayAsync(), node.Replica.Trust, null, DateTimeOffset.UtcNow);
        Assert.True(file.Ok, file.Rejection?.Reason);
        Assert.Equal(("moon", "tier1-alpha"), (file.File!.Manifest.Source, file.File.Manifest.Destination));
    }
}
