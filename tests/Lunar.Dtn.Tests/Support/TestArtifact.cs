using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// Real artifact bytes for tests whose agents now download what they apply: deterministic content of a given size, its
/// sha256, and the upload of those bytes to a node (the mirror) that already knows the metadata.
/// </summary>
public sealed class TestArtifact
{
    private TestArtifact(byte[] content)
    {
        Content = content;
        Sha = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public byte[] Content { get; }
    public string Sha { get; }
    public int Size => Content.Length;

    public static TestArtifact Of(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return new TestArtifact(bytes);
    }

    /// <summary>PUT /api/v1/artifacts/{sha}/content; fails the test with the node's answer if it is refused.</summary>
    public async Task UploadAsync(HttpClient api)
    {
        using var body = new ByteArrayContent(Content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await api.PutAsync($"/api/v1/artifacts/{Sha}/content", body);
        Assert.True(response.IsSuccessStatusCode, $"uploading artifact {Sha}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
