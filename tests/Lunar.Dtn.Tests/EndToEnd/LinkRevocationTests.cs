using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.EndToEnd;

/// <summary>
/// Revocation on the link with real node services in-process: a new constellation version revoking Earth is posted to
/// the Moon (as it would arrive by link or USB stick during a blackout). The Moon cuts Earth's live session and refuses
/// every later one at the TLS handshake, with the reason in its log; no online CA or OCSP is asked.
/// </summary>
public sealed class LinkRevocationTests
{
    [Fact]
    public async Task RevokedNode_ANewConstellationVersionAtTheMoon_CutsEarthsLink_AndRefusesItsNextSessions()
    {
        using var dir = new TempDir("lunar-link-revoke");
        var keys = dir.Sub("constellation");
        TestCredentials.Create(keys, ["moon", "earth"], []);
        var path = Path.Combine(keys, DevConstellation.FileName);
        string[] Trust(string id) => [$"--Node:Constellation={path}", $"--Node:KeyFile={Path.Combine(keys, id + ".key")}"];
        await using var moon = await InProcessNode.StartAsync(NodeRole.Moon, "moon", [.. Trust("moon"), "--Link:Listen=127.0.0.1:0"], dir.Sub("moon"));
        var port = moon.Links.ListeningOn?.Port ?? throw new InvalidOperationException("the moon's link does not listen");
        await using var earth = await InProcessNode.StartAsync(NodeRole.Earth, "earth", [.. Trust("earth"), $"--Link:Peers=moon=127.0.0.1:{port}"], dir.Sub("earth"));
        bool MoonSeesEarthUp() => moon.Links.Peers.Any(p => p.Link.PeerId == "earth" && p.Link.IsUp);
        await Eventually.Holds(MoonSeesEarthUp, "the earth-moon link to come up over TLS");

        var v1 = Constellation.Load(path);
        using var root = NodeKey.Load(Path.Combine(keys, "root.key"));
        var earthKey = v1.Nodes.Single(n => n.Id == "earth").PublicKey;
        var v2 = (v1 with { Version = 2, RevokedKeys = [.. v1.RevokedKeys, earthKey] }).SignWith(root);
        var (status, body) = await moon.PostAsync("/api/v1/constellation", v2.ToJson());
        Assert.True(status == 201, $"posting version 2: {status} {body}");

        await Eventually.Holds(() => MoonLog(dir).Contains("is revoked in constellation version 2 (checked again during the session", StringComparison.Ordinal),
            "the moon to cut earth's live session under version 2 (at earth's next frame: an acknowledgement, or its keepalive within 15 s)", TimeSpan.FromSeconds(60));
        await Eventually.Holds(() => MoonLog(dir).Split('\n').Any(l => l.Contains("Refused link connection", StringComparison.Ordinal) && l.Contains("is revoked in constellation version 2", StringComparison.Ordinal)),
            "the moon to refuse earth's next session at the handshake", TimeSpan.FromSeconds(60));
        Assert.False(MoonSeesEarthUp(), "the moon's link to the revoked earth is up");
    }

    /// <summary>Everything the Moon logged so far (its Serilog JSON file; read while the node writes it).</summary>
    private static string MoonLog(TempDir dir)
    {
        var logs = Path.Combine(dir.Sub("moon"), "logs");
        if (!Directory.Exists(logs)) return "";
        return string.Concat(Directory.GetFiles(logs).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
    }
}
