using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Tests.Api;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Access;

/// <summary>
/// Who may do what, tried as an attacker on the lunar network would, against a real node over TLS. Every attack fails
/// closed with a problem that says why, leaves the store as it was (<see cref="ProblemAssert"/> compares the replica's
/// fingerprint), and the genuine callers are served right after.
/// </summary>
public sealed class AccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private readonly InProcessNode _moon = fixture.Moon;

    private static object Campaign => new { name = "wave-x", artifactId = AccessFixture.Sha, approvalRequired = false };

    /// <summary>The positive control after every attack: the admin still reads and the operator still writes.</summary>
    private async Task GenuineCallersAreStillServedAsync()
    {
        using var oscar = _moon.ClientAs("oscar");
        using var created = await oscar.PostAsJsonAsync("/api/v1/campaigns", Campaign);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _moon.Http.GetAsync("/api/v1/campaigns")).StatusCode);
    }

    private Task<JsonElement> RefusedAsync(HttpClient client, Func<HttpClient, Task<HttpResponseMessage>> send, int status, params string[] mentions) =>
        ProblemAssert.RefusedAsync(_moon, _ => send(client), status, mentions);

    [Fact]
    public async Task AnonymousWrite_Is401NamingTheMissingCertificate_AndChangesNothing()
    {
        using var anonymous = _moon.Anonymous();
        await RefusedAsync(anonymous, c => c.PostAsJsonAsync("/api/v1/campaigns", Campaign), 401, "no client certificate");
        await RefusedAsync(anonymous, c => c.PostAsJsonAsync("/api/v1/artifacts", new { name = "evil", version = "999.0.0", sha256 = new string('e', 64), sizeBytes = 1 }), 401, "certificate");
        await RefusedAsync(anonymous, c => c.GetAsync("/api/v1/campaigns"), 401, "certificate");
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task AnonymousExport_Is401_AndAViewerExportIs403NamingAdmin()
    {
        using var anonymous = _moon.Anonymous();
        await RefusedAsync(anonymous, c => c.GetAsync("/api/v1/bundles/export?for=tier1-alpha"), 401, "certificate");
        using var vic = _moon.ClientAs("vic");
        await RefusedAsync(vic, c => c.GetAsync("/api/v1/bundles/export?for=tier1-alpha"), 403, "admin");
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task ViewerWrite_Is403NamingTheRoleItLacks_AndReadsStillWork()
    {
        using var vic = _moon.ClientAs("vic");
        await RefusedAsync(vic, c => c.PostAsJsonAsync("/api/v1/campaigns", Campaign), 403, "vic", "operator");
        await RefusedAsync(vic, c => c.PostAsync("/api/v1/emergency-stop", null), 403, "operator");
        Assert.Equal(HttpStatusCode.OK, (await vic.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vic.GetAsync("/metrics")).StatusCode);
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task OperatorConstellationChange_Is403NamingAdmin()
    {
        using var oscar = _moon.ClientAs("oscar");
        await RefusedAsync(oscar, c => c.PostAsync("/api/v1/constellation", new StringContent("{}", Encoding.UTF8, "application/json")), 403, "admin");
    }

    [Fact]
    public async Task AgentReportingForAnotherServer_Is403_AndTheOtherServerIsUnchanged()
    {
        using var agentA = _moon.ClientAs("srv-a");
        await RefusedAsync(agentA, c => c.PostAsJsonAsync("/api/v1/agents/srv-b/report", new { phase = "idle", site = "evil", cluster = "c9", tier = 1 }), 403, "srv-a", "srv-b");
        await RefusedAsync(agentA, c => c.GetAsync("/api/v1/agents/srv-b/assignment"), 403, "own server");
        var b = await _moon.GetJsonAsync("/api/v1/servers/srv-b/state");
        Assert.Equal(3, b.GetProperty("tier").GetInt32());
        Assert.Equal("peary", b.GetProperty("site").GetString());
    }

    [Fact]
    public async Task AgentCertificate_CannotUseOperatorEndpoints()
    {
        using var agentA = _moon.ClientAs("srv-a");
        await RefusedAsync(agentA, c => c.PostAsJsonAsync("/api/v1/campaigns", Campaign), 403, "operator");
        await RefusedAsync(agentA, c => c.GetAsync("/api/v1/audit"), 403, "viewer");
    }

    [Fact]
    public async Task OperatorCertificate_CannotReportAsAnAgent()
    {
        await RefusedAsync(_moon.Http, c => c.PostAsJsonAsync("/api/v1/agents/srv-zz/report", new { phase = "idle", site = "peary", tier = 3 }), 403, "agent");
    }

    [Fact]
    public async Task SpoofedXOperator_Is400_AndTheAuditNamesOnlyRealPrincipals()
    {
        using var oscar = _moon.ClientAs("oscar");
        await RefusedAsync(oscar, c =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = JsonContent.Create(Campaign) };
            request.Headers.Add("X-Operator", "bob (base-lead)");
            return c.SendAsync(request);
        }, 400, "X-Operator", "oscar");
        var audit = await _moon.GetJsonAsync("/api/v1/audit");
        Assert.DoesNotContain(audit.EnumerateArray(), e => e.GetProperty("actor").GetString()!.Contains("bob", StringComparison.Ordinal));
        // The same header naming the caller itself is harmless.
        var own = new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = JsonContent.Create(Campaign) };
        own.Headers.Add("X-Operator", "oscar");
        Assert.Equal(HttpStatusCode.Created, (await oscar.SendAsync(own)).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    [InlineData("null", null)]
    public async Task CrossSiteFormPost_IsRefused403_EvenWithTheBrowsersCertificate(string? origin, string? fetchSite)
    {
        // A browser presents the operator's certificate on a hostile page's form POST too: only where it came from tells.
        using var oscar = _moon.ClientAs("oscar");
        await RefusedAsync(oscar, c =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns")
            {
                Content = new StringContent("name=wave&artifactId=" + AccessFixture.Sha, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
            return c.SendAsync(request);
        }, 403, "refused");
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task SameOriginPost_FromTheNodesOwnPage_IsServed()
    {
        using var oscar = _moon.ClientAs("oscar");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = JsonContent.Create(Campaign) };
        request.Headers.Add("Origin", _moon.Url.TrimEnd('/'));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.Created, (await oscar.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/campaigns")]
    [InlineData("/healthz")]
    public async Task ForeignHost_IsRefused421_DnsRebindingFindsNothing(string path)
    {
        await RefusedAsync(_moon.Http, c =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = "evil.example";
            return c.SendAsync(request);
        }, 421, "evil.example");
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task PlaintextHttp_ToTheApiPort_GetsNoData()
    {
        var port = new Uri(_moon.Url).Port;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException) { /* the server reset the connection: also no data */ }
        var text = Encoding.ASCII.GetString(received.ToArray());
        Assert.DoesNotContain("200 OK", text, StringComparison.Ordinal);
        Assert.DoesNotContain("camp-", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessFixture.Sha, text, StringComparison.Ordinal);
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task CertificateFromAnotherCa_Is401NamingTheAuthority()
    {
        using var other = new TempDir();
        TestCredentials.Create(other.Path, ["moon"]);
        // The same principal name, the same kind, another CA: the constellation's CA alone decides.
        using var impostor = ClientCredentials.Load(CertificateFiles.CombinedPath(other.Path, "ada"), Path.Combine(_moon.CredentialsDir, DevConstellation.AuthorityFile));
        using var client = impostor.CreateClient(new Uri(_moon.Url));
        await RefusedAsync(client, c => c.PostAsJsonAsync("/api/v1/campaigns", Campaign), 401, "certificate authority");
        await GenuineCallersAreStillServedAsync();
    }

    [Fact]
    public async Task HealthAnswersWithoutACertificate_ButMetricsNeedAViewer()
    {
        using var anonymous = _moon.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz/ready")).StatusCode);
        await RefusedAsync(anonymous, c => c.GetAsync("/metrics"), 401, "certificate");
    }

    [Fact]
    public async Task Dashboard_IsServedWithAStrictContentSecurityPolicy()
    {
        using var response = await _moon.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
    }
}
