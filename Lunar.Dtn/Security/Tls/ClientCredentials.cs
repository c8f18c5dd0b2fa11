using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// What a caller of a node needs: its own certificate (with key) and the constellation's CA, which alone says whether the
/// node's certificate is genuine. Makes the HTTP handler every client here uses (CLI verbs, the agent, tests, the demo):
/// TLS 1.3, the client certificate presented, the node's certificate checked against the CA (never the machine's store).
/// </summary>
public sealed class ClientCredentials(X509Certificate2 certificate, X509Certificate2 authority) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public X509Certificate2 Authority { get; } = authority;

    /// <summary>The principal the certificate names (its CN).</summary>
    public string Principal => Certificate.GetNameInfo(X509NameType.SimpleName, false);

    /// <summary>Loads <c>--cert FILE.pem</c> (certificate and key, or a certificate with its key in <paramref name="keyPath"/>) and <c>--ca FILE</c>.</summary>
    public static ClientCredentials Load(string certificatePath, string authorityPath, string? keyPath = null) =>
        new(CertificateFiles.Load(certificatePath, keyPath), CertificateFiles.LoadAuthority(authorityPath));

    /// <summary>The files of principal <paramref name="id"/> in a folder <c>constellation dev</c> wrote (P.pem and ca.crt).</summary>
    public static ClientCredentials FromFolder(string dir, string id) =>
        Load(CertificateFiles.CombinedPath(dir, id), Path.Combine(dir, DevConstellation.AuthorityFile));

    public SslClientAuthenticationOptions SslOptions(TimeProvider time, string? expectedNode = null, Action<string>? refused = null) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls13,
        ClientCertificates = [Certificate],
        RemoteCertificateValidationCallback = CertificateCheck.ForNode(Authority, time, expectedNode, refused),
    };

    public SocketsHttpHandler CreateHandler(TimeProvider? time = null) => new()
    {
        SslOptions = SslOptions(time ?? TimeProvider.System),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    };

    public HttpClient CreateClient(Uri baseAddress, TimeSpan? timeout = null) =>
        new(CreateHandler(), disposeHandler: true) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };

    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }
}
