using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// Expiry warned about long before it bites: a constellation issued 330 days ago (certificates act for 365 days, so 35
/// are left) with ada renewed for a year. /metrics gives the seconds left for every principal and for the node's own
/// X.509 certificate and counts those within 60 days; the dashboard snapshot lists them; a revoked principal drops out.
/// </summary>
public sealed class CertificateExpiryTests : IDisposable
{
    private static readonly TimeSpan Issued = TimeSpan.FromDays(330);
    private readonly TempDir _dir = new("lunar-expiry");

    public void Dispose() => _dir.Dispose();

    /// <summary>Version 1 made 330 days ago; version 2 renews ada until a year from now.</summary>
    private async Task<InProcessNode> StartAsync()
    {
        var c = _dir.Sub("c");
        var now = DateTimeOffset.UtcNow;
        DevConstellation.Create(c, ["moon"], [], TestCredentials.Operators, null, now - Issued);
        var path = Path.Combine(c, DevConstellation.FileName);
        var v1 = Constellation.Load(path);
        var (renewed, what) = ConstellationAdd.Renew(v1, "ada", now.AddDays(365));
        Assert.True(renewed is not null, what);
        using (var root = NodeKey.Load(Path.Combine(c, "root.key")))
            File.WriteAllText(path, (renewed with { Version = 2, Signature = "" }).SignWith(root).ToJson());
        return await InProcessNode.StartAsync(NodeRole.Moon, "moon", [$"--Node:Constellation={path}", $"--Node:KeyFile={c}/moon.key"]);
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        using var r = await http.GetAsync("/metrics");
        Assert.Equal(200, (int)r.StatusCode);
        return PrometheusText.Parse(await r.Content.ReadAsStringAsync());
    }

    private static double Days(PrometheusText m, string principal, string kind) =>
        m[$"lunar_certificate_expiry_seconds{{principal=\"{principal}\",kind=\"{kind}\"}}"] / 86400;

    [Fact]
    public async Task Metrics_GiveSecondsLeftPerPrincipalAndForTheNodesOwnCertificate_AndCountThoseWithin60Days()
    {
        await using var node = await StartAsync();
        using var vic = node.ClientAs("vic");

        var m = await ScrapeAsync(vic);

        Assert.InRange(Days(m, "vic", "operator"), 34.9, 35.1);
        Assert.InRange(Days(m, "oscar", "operator"), 34.9, 35.1);
        Assert.InRange(Days(m, "moon", "node"), 34.9, 35.1);
        Assert.InRange(Days(m, "ada", "operator"), 364.9, 365.1); // renewed in version 2
        // The node's own X.509 certificate: its five-year backstop, less the 330 days since it was issued.
        Assert.InRange(Days(m, "moon", CertificateExpiry.OwnKind), 5 * 365 - 331, 5 * 365 - 329);
        Assert.Equal(3, m["lunar_certificates_expiring"]);
    }

    [Fact]
    public async Task Metrics_AfterARevocation_DropThePrincipalsSeries_AndItsCount()
    {
        await using var node = await StartAsync();
        using var vic = node.ClientAs("vic");
        Assert.Equal(3, (await ScrapeAsync(vic))["lunar_certificates_expiring"]);

        // Version 3 revokes oscar; ada (admin) puts it into the node.
        var c = _dir.Sub("c");
        var v2 = Constellation.Load(Path.Combine(c, DevConstellation.FileName));
        var oscar = v2.Operators!.Single(o => o.Id == "oscar");
        Constellation v3;
        using (var root = NodeKey.Load(Path.Combine(c, "root.key")))
            v3 = (v2 with { Version = 3, RevokedKeys = [.. v2.RevokedKeys, .. ConstellationLists.KeysOf(oscar)], Signature = "" }).SignWith(root);
        var (status, body) = await node.PostAsync("/api/v1/constellation", v3.ToJson());
        Assert.True(status == 201, body.ToString());

        var m = await ScrapeAsync(vic);
        Assert.DoesNotContain(m.Samples.Keys, k => k.Contains("principal=\"oscar\"", StringComparison.Ordinal));
        Assert.Equal(2, m["lunar_certificates_expiring"]);
    }

    [Fact]
    public async Task DashboardSnapshot_ListsTheCertificatesExpiringWithin60Days_SoonestFirst()
    {
        await using var node = await StartAsync();
        using var vic = node.ClientAs("vic");

        var snapshot = await vic.GetFromJsonAsync<JsonElement>("/api/v1/dashboard");

        Assert.Equal(3, snapshot.GetProperty("expiringTotal").GetInt32());
        var expiring = snapshot.GetProperty("expiring").EnumerateArray().ToArray();
        Assert.Equal(["moon", "oscar", "vic"], expiring.Select(e => e.GetProperty("principal").GetString()).Order());
        Assert.All(expiring, e => Assert.InRange(e.GetProperty("secondsLeft").GetDouble() / 86400, 34.9, 35.1));
        Assert.DoesNotContain(expiring, e => e.GetProperty("principal").GetString() == "ada");
        var notAfter = expiring.Select(e => e.GetProperty("notAfter").GetDateTimeOffset()).ToArray();
        Assert.Equal(notAfter.Order(), notAfter);
    }

    [Fact]
    public async Task DashboardSnapshot_WithNothingDueWithin60Days_ListsNone()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon");

        var snapshot = await node.GetJsonAsync("/api/v1/dashboard");

        Assert.Equal(0, snapshot.GetProperty("expiringTotal").GetInt32());
        Assert.Empty(snapshot.GetProperty("expiring").EnumerateArray());
    }
}
