using System.Net.Http.Headers;
using Lunar.Dtn.BundleFiles;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>
/// POST /api/v1/bundles/import streams the file to a temporary file in the data folder and checks it from there. What it
/// allocates is measured against the former way (the body copied into a MemoryStream, then ToArray, then checked), on the
/// same 32 MiB file: the former holds the body about three times over, the streamed import about once plus the sections.
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class BundleImportMemoryTests(ITestOutputHelper output)
{
    private const int ContentBytes = 32 * 1024 * 1024;

    [Fact]
    public async Task ImportingA32MiBBundleFile_AllocatesLessThanTheBufferedWay_AndLeavesNoTemporaryFile()
    {
        using var keys = new TempDir("lunar-abuse-usb");
        TestCredentials.Create(keys.Path, ["moon", "tier1-alpha"], []);
        await using var moon = await InProcessNode.StartAsync(NodeRole.Moon, "moon",
            [$"--Node:Constellation={keys.Sub("constellation.json")}", $"--Node:KeyFile={keys.Sub("moon.key")}", "--Node:FilePeers=tier1-alpha"]);
        await using var tier1 = await InProcessNode.StartAsync(NodeRole.Moon, "tier1-alpha",
            [$"--Node:Constellation={keys.Sub("constellation.json")}", $"--Node:KeyFile={keys.Sub("tier1-alpha.key")}", "--Node:FilePeers=moon"]);
        var artifact = TestArtifact.Of(ContentBytes, seed: 14);
        Assert.Equal(201, (await moon.PostAsync("/api/v1/artifacts", new { name = "big", version = "1.0.0", sha256 = artifact.Sha, sizeBytes = artifact.Size })).Status);
        await artifact.UploadAsync(moon.Http);
        // A campaign names it, so the file for tier1-alpha carries its content.
        Assert.Equal(201, (await moon.PostAsync("/api/v1/campaigns", new { name = "carry", artifactId = artifact.Sha })).Status);
        using var export = await moon.Http.GetAsync("/api/v1/bundles/export?for=tier1-alpha");
        export.EnsureSuccessStatusCode();
        var file = await export.Content.ReadAsByteArrayAsync();
        Assert.True(file.Length > ContentBytes, $"the file should carry the content: {file.Length} bytes");

        // Before: the former endpoint's way, on a scratch replica of the same node (nothing applied).
        var runtime = tier1.Services.GetRequiredService<NodeRuntime>();
        GC.Collect();
        var start = GC.GetTotalAllocatedBytes(precise: true);
        using (var body = new MemoryStream(file, writable: false))
        {
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            Assert.True(BundleFileImporter.Check(bytes, runtime.Replica, runtime.Store).Ok);
        }
        var buffered = GC.GetTotalAllocatedBytes(precise: true) - start;

        // After: the endpoint.
        GC.Collect();
        start = GC.GetTotalAllocatedBytes(precise: true);
        using (var content = new ByteArrayContent(file))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(BundleFileVerbs.MediaType);
            using var response = await tier1.Http.PostAsync("/api/v1/bundles/import", content);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var streamed = GC.GetTotalAllocatedBytes(precise: true) - start;
        output.WriteLine($"file {file.Length / (1024 * 1024.0):F1} MiB: buffered way allocated {buffered / (1024 * 1024.0):F1} MiB ({buffered / (double)file.Length:F2}x), " +
            $"streamed import {streamed / (1024 * 1024.0):F1} MiB ({streamed / (double)file.Length:F2}x)");
        Assert.True(streamed < buffered, $"streamed {streamed} should allocate less than buffered {buffered}");
        Assert.True(streamed < 2.6 * file.Length, $"the streamed import allocated {streamed / (double)file.Length:F2}x the file; at most the file once and its sections once are expected");
        Assert.True(tier1.Services.GetRequiredService<Lunar.Dtn.Artifacts.ArtifactContentStore>().Has(artifact.Sha));
        var tmp = Path.Combine(runtime.Options.DataDir, "tmp");
        Assert.Empty(Directory.Exists(tmp) ? Directory.GetFiles(tmp) : []);
    }
}
