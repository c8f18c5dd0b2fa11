using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// The constellation's TLS certificate authority: an ECDSA P-256 key that issues one certificate per principal. Its
/// certificate (public) is fixed by the root-signed constellation; its private key stays with whoever runs
/// <c>constellation</c> (offline, beside the root key; in a development folder, <c>ca.key.pem</c>).
/// </summary>
/// <remarks>
/// ECDSA P-256, not Ed25519: .NET 10 here cannot load an Ed25519 certificate, and a P-256 pair does mutual TLS 1.3 through
/// SslStream. A leaf names its principal as CN and its kind as OU; the constellation binds the two keys (Ed25519 and TLS)
/// of one principal by listing both, so revoking the principal revokes both.
/// </remarks>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>The CA's life: long beyond any mission, since nothing online can replace it during a blackout.</summary>
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(20 * 365);

    /// <summary>
    /// A leaf's own X.509 life. The working life is the constellation's <c>tlsNotAfter</c> (renewed by a new version,
    /// which travels during a blackout); this is only the backstop.
    /// </summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(5 * 365);

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key when this instance can issue.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public static CertificateAuthority Create(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Lunar.Dtn", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new CertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime)));
    }

    /// <summary>A CA that can issue, from its PEM certificate and PEM private key.</summary>
    public static CertificateAuthority Load(string certificatePemPath, string keyPemPath) =>
        new(X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath));

    /// <summary>
    /// Issues a certificate for principal <paramref name="id"/> of <paramref name="kind"/> with a fresh P-256 key. Node
    /// certificates also serve (TLS server) and name <paramref name="hostNames"/> (DNS names or IP addresses).
    /// </summary>
    public X509Certificate2 Issue(string id, PrincipalKind kind, DateTimeOffset now, IEnumerable<string>? hostNames = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Issue(id, kind, key, now, hostNames);
    }

    /// <summary>Issues a certificate for an existing key (a renewal keeps the key, so the constellation's fingerprint still matches).</summary>
    public X509Certificate2 Issue(string id, PrincipalKind kind, ECDsa key, DateTimeOffset now, IEnumerable<string>? hostNames = null)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(id);
        name.AddOrganizationalUnitName(kind.ToString().ToLowerInvariant());
        name.AddOrganizationName("Lunar.Dtn");
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { ClientAuth };
        if (kind == PrincipalKind.Node) usages.Add(ServerAuth);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (kind == PrincipalKind.Node)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var host in (hostNames ?? []).Prepend(id).Distinct(StringComparer.OrdinalIgnoreCase))
                if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(host);
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var notAfter = now.Add(LeafLifetime);
        if (notAfter > Certificate.NotAfter) notAfter = Certificate.NotAfter;
        using var issued = request.Create(Certificate, now.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => Certificate.Dispose();
}
