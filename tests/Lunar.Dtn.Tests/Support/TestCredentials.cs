using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// Real credentials for tests: a development constellation (root, CA, a certificate per principal) with the operators
/// every test may need — ada (admin), oscar (operator), vic (viewer) — besides the nodes, approvers and agents it is
/// given, and HTTPS clients that present one principal's certificate and check the node's against the CA.
/// </summary>
public static class TestCredentials
{
    public static readonly IReadOnlyList<(string Id, string Role)> Operators = [("ada", Roles.Admin), ("oscar", Roles.Operator), ("vic", Roles.Viewer)];

    public static readonly IReadOnlyList<(string Id, string Role)> DefaultApprovers = [("alice", "flight-director"), ("bob", "base-lead")];

    /// <summary>Writes a development constellation into <paramref name="dir"/> (see <see cref="DevConstellation"/>).</summary>
    public static IReadOnlyList<string> Create(string dir, IEnumerable<string> nodes, IEnumerable<(string Id, string Role)>? approvers = null, IEnumerable<string>? agents = null) =>
        DevConstellation.Create(dir, nodes, approvers ?? DefaultApprovers, Operators, agents);

    /// <summary>An HTTPS client for <paramref name="baseUrl"/> presenting principal <paramref name="id"/>'s certificate from <paramref name="dir"/>.</summary>
    public static HttpClient Client(string dir, string id, string baseUrl, TimeSpan? timeout = null) =>
        ClientCredentials.FromFolder(dir, id).CreateClient(new Uri(baseUrl), timeout);

    /// <summary>An HTTPS client that presents no certificate but still checks the node's against the CA of <paramref name="dir"/>.</summary>
    public static HttpClient Anonymous(string dir, string baseUrl)
    {
        var ca = CertificateFiles.LoadAuthority(Path.Combine(dir, DevConstellation.AuthorityFile));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                RemoteCertificateValidationCallback = CertificateCheck.ForNode(ca, TimeProvider.System),
            },
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(baseUrl) };
    }

    /// <summary>The https:// address in a "Now listening on: ..." line of a node process.</summary>
    public static string UrlIn(string line) => line[line.IndexOf("https://", StringComparison.Ordinal)..].Trim();
}
