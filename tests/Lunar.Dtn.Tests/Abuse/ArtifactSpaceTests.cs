using System.Net.Http.Headers;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Api;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Tests.Abuse;

/// <summary>An artifact larger than the mirror can hold is refused when registered and before its upload starts, naming both figures.</summary>
[Collection(AbuseCollection.Name)]
public sealed class ArtifactSpaceTests
{
    private static long FreeBytes(InProcessNode node) => node.Services.GetRequiredService<ArtifactSpace>().FreeBytes();

    [Fact]
    public async Task RegisteringAnArtifactLargerThanTheFreeSpace_Is400NamingSizeBytesAndBothFigures_AndAFittingOneIsRegistered()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon");
        var tooBig = FreeBytes(node) + 1024L * 1024 * 1024; // a gigabyte more than the disk has free
        var problem = await ProblemAssert.PostRefusedAsync(node, "/api/v1/artifacts",
            new { name = "lunar-os", version = "9.9.9", sha256 = new string('a', 64), sizeBytes = tooBig }, 400, BodyLimits.N(tooBig), "bytes free", "reserve of 268,435,456");
        Assert.True(problem.GetProperty("errors").TryGetProperty("sizeBytes", out _), problem.ToString());

        var (status, _) = await node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "1.0.0", sha256 = new string('b', 64), sizeBytes = 1024 * 1024 });
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task AReserveLargerThanTheDisk_RefusesEvenASmallArtifact_NamingTheReserveAndItsKey()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", ["--Artifacts:FreeSpaceReserveMB=2000000000"]);
        await ProblemAssert.PostRefusedAsync(node, "/api/v1/artifacts",
            new { name = "lunar-os", version = "1.0.0", sha256 = new string('c', 64), sizeBytes = 1024 }, 400, "at most 0 more", ArtifactSpace.ReserveKey);
    }

    [Fact]
    public async Task UploadingContentLargerThanTheFreeSpace_Is507BeforeAByteIsRead_AndNothingIsKept_WhileAFittingUploadIsStored()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon");
        // Metadata that arrived from elsewhere (a peer with more room): registered directly, as replication would.
        var huge = new ArtifactRecord(new string('d', 64), "huge", "1.0.0", new string('d', 64), FreeBytes(node) + 1024L * 1024 * 1024, "earth", 1);
        node.Replica.RegisterArtifact(huge, "ada");
        var before = node.Replica.Fingerprint();
        using (var body = new ByteArrayContent(new byte[4096]))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await node.Http.PutAsync($"/api/v1/artifacts/{huge.Id}/content", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(507 == (int)response.StatusCode, text);
            Assert.Contains(BodyLimits.N(huge.SizeBytes), text, StringComparison.Ordinal);
            Assert.Contains("bytes free", text, StringComparison.Ordinal);
        }
        Assert.False(node.Services.GetRequiredService<ArtifactContentStore>().Has(huge.Id));
        Assert.Equal(before, node.Replica.Fingerprint());

        // A body longer than the registered size is refused by its Content-Length, before it is read (400, as a sender cut off past it is).
        var small = TestArtifact.Of(4096, seed: 7);
        Assert.Equal(201, (await node.PostAsync("/api/v1/artifacts", new { name = "small", version = "1.0.0", sha256 = small.Sha, sizeBytes = small.Size })).Status);
        using (var longer = new ByteArrayContent(new byte[8192]))
        {
            using var response = await node.Http.PutAsync($"/api/v1/artifacts/{small.Sha}/content", longer);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Contains("Content-Length 8192 is longer than the registered 4096 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.False(node.Services.GetRequiredService<ArtifactContentStore>().Has(small.Sha));
        // Positive control: the fitting one is stored.
        await small.UploadAsync(node.Http);
        Assert.True(node.Services.GetRequiredService<ArtifactContentStore>().Has(small.Sha));
    }
}
