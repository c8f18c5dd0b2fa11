using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Links;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>
/// An eavesdropper on the Earth–Moon link: real Earth and Moon services in-process, Earth dialling the Moon through a
/// proxy that records every byte both ways. A campaign and an artifact's content cross; the recording holds none of them
/// in clear: no 16-byte run of the artifact, no campaign id or name, no operator name.
/// </summary>
public sealed class LinkRecordingTests
{
    private const string Operator = "operator-margaret-hamilton";
    private const string CampaignName = "wave-of-the-secret-kernel";

    [Fact]
    public async Task RecordingProxyOnTheLink_SeesNoArtifactByteNoCampaignIdAndNoOperatorNameInClear()
    {
        using var dir = new TempDir("lunar-eavesdrop");
        var keys = dir.Sub("constellation");
        DevConstellation.Create(keys, ["moon", "earth"], [], [(Operator, Roles.Operator)]);
        string[] Trust(string id) => [$"--Node:Constellation={Path.Combine(keys, DevConstellation.FileName)}", $"--Node:KeyFile={Path.Combine(keys, id + ".key")}"];
        await using var moon = await InProcessNode.StartAsync(NodeRole.Moon, "moon", [.. Trust("moon"), "--Link:Listen=127.0.0.1:0"], dir.Sub("moon"), Operator);
        await using var proxy = new RecordingProxy(moon.Links.ListeningOn ?? throw new InvalidOperationException("the moon's link does not listen"));
        await using var earth = await InProcessNode.StartAsync(NodeRole.Earth, "earth", [.. Trust("earth"), $"--Link:Peers=moon=127.0.0.1:{proxy.Port}"], dir.Sub("earth"), Operator);
        await Eventually.Holds(() => earth.Links.Peers.Any(p => p.Link.PeerId == "moon" && p.Link.IsUp) && moon.Links.Peers.Any(p => p.Link.PeerId == "earth" && p.Link.IsUp),
            "the earth-moon link to come up through the recording proxy");

        var content = RandomNumberGenerator.GetBytes(300 * 1024);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await Ok(earth.Http.PostAsJsonAsync("/api/v1/artifacts", new { name = "lunar-os", version = "9.9.9", sha256 = sha, sizeBytes = content.Length }));
        await Ok(earth.Http.PutAsync($"/api/v1/artifacts/{sha}/content", new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }));
        using var created = await Ok(earth.Http.PostAsJsonAsync("/api/v1/campaigns", new { name = CampaignName, artifactId = sha, approvalRequired = false }));
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await Eventually.Holds(() => moon.Http.GetAsync($"/api/v1/campaigns/{campaign}").Result.IsSuccessStatusCode, $"campaign {campaign} to reach the moon");
        await Eventually.Holds(() => moon.GetJsonAsync($"/api/v1/artifacts/{sha}").Result.GetProperty("location").GetProperty("heldHere").GetBoolean(),
            "the artifact's content to reach the moon", TimeSpan.FromSeconds(60));
        var audit = await moon.GetJsonAsync($"/api/v1/audit?campaign={campaign}");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("actor").GetString() == Operator); // it did cross, inside TLS

        var recorded = Concat(proxy.ToTarget, proxy.FromTarget);
        Assert.True(recorded.Length > content.Length, $"the proxy recorded {recorded.Length} bytes, less than the {content.Length}-byte artifact that crossed it");
        Assert.Equal(0x16, proxy.ToTarget[0]); // the first byte on the wire is a TLS handshake record
        foreach (var secret in new[] { campaign, CampaignName, Operator, sha })
        {
            Assert.True(IndexOf(recorded, Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret}' crossed the link in clear");
            Assert.True(IndexOf(recorded, Encoding.Unicode.GetBytes(secret)) < 0, $"'{secret}' crossed the link in clear (UTF-16)");
        }
        Assert.True(IndexOf(recorded, Convert.FromHexString(sha)) < 0, "the artifact's SHA-256 crossed the link in clear (binary)");
        var leaked = FirstSharedRun(content, recorded, 16);
        Assert.True(leaked < 0, $"16 bytes of the artifact from offset {leaked} crossed the link in clear");

        // The search would have found them: the same checks on a recording with the secrets in it.
        Assert.True(IndexOf(Concat(recorded, Encoding.UTF8.GetBytes(Operator)), Encoding.UTF8.GetBytes(Operator)) >= 0);
        Assert.True(FirstSharedRun(content, Concat(recorded, content.AsSpan(1000, 16).ToArray()), 16) >= 0);
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>The first offset of <paramref name="content"/> whose <paramref name="run"/> bytes appear anywhere in <paramref name="recorded"/>; -1 if none.</summary>
    private static int FirstSharedRun(byte[] content, byte[] recorded, int run)
    {
        var seen = new HashSet<(long, long)>();
        for (var i = 0; i + run <= recorded.Length; i++) seen.Add(Key(recorded, i));
        for (var i = 0; i + run <= content.Length; i++)
            if (seen.Contains(Key(content, i))) return i;
        return -1;
    }

    private static (long, long) Key(byte[] bytes, int at) => (BitConverter.ToInt64(bytes, at), BitConverter.ToInt64(bytes, at + 8));
}
