using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// What the constellation binds a principal's certificate by: SHA-256 of its SubjectPublicKeyInfo, hex. The key, not
/// the certificate, so that a certificate re-issued for the same key (a longer life) still matches.
/// </summary>
public static class TlsFingerprint
{
    public static string Of(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
