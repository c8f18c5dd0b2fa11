using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Links;

/// <summary>
/// A certificate authority and a node certificate per id for in-process link tests, and trust stores naming them: each
/// node with its simulation signing key (as <see cref="TestNodes"/>) and its certificate's fingerprint, some revoked if asked.
/// </summary>
public sealed class LinkCertificates : IDisposable
{
    private readonly Dictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);

    public LinkCertificates(params string[] nodes) : this("Lunar.Dtn test CA", nodes, 0) { }

    /// <summary>Certificates of another CA (an impostor's) for the same node ids.</summary>
    public static LinkCertificates OfAnotherCa(string caName, params string[] nodes) => new(caName, nodes, 0);

    private LinkCertificates(string caName, string[] nodes, int _)
    {
        Now = DateTimeOffset.UtcNow;
        Authority = CertificateAuthority.Create(caName, Now);
        foreach (var id in nodes) _certificates[id] = Issue(id, PrincipalKind.Node);
    }

    public DateTimeOffset Now { get; }

    public CertificateAuthority Authority { get; }

    public IReadOnlyCollection<string> Nodes => _certificates.Keys;

    /// <summary>Node <paramref name="id"/>'s certificate with its private key.</summary>
    public X509Certificate2 this[string id] => _certificates[id];

    /// <summary>A certificate of this CA for a principal of any kind (with its key, loadable by SslStream).</summary>
    public X509Certificate2 Issue(string id, PrincipalKind kind)
    {
        using var issued = Authority.Issue(id, kind, Now, DevConstellation.LocalHostNames);
        return X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Constellation version <paramref name="version"/> over every node, with the certificates of <paramref name="revoked"/> revoked.</summary>
    public TrustStore Trust(int version = 1, params string[] revoked) =>
        new(version, _certificates.Select(c => new Principal(c.Key, Roles.Node, TestNodes.KeyFor(c.Key).PublicKeyHex) { Tls = TlsFingerprint.Of(c.Value) }), [],
            revoked.Select(id => TlsFingerprint.Of(_certificates[id])))
        {
            AuthorityPem = Authority.CertificatePem,
        };

    public void Dispose()
    {
        foreach (var c in _certificates.Values) c.Dispose();
        Authority.Dispose();
    }
}
