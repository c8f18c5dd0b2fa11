using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// What <c>constellation add</c> uses to give a principal its TLS credentials: the constellation's CA (its certificate
/// from the constellation, its private key from <c>--ca-key</c>) issues a certificate for a fresh P-256 key, and the
/// principal's files are written into <see cref="Dir"/> as <c>constellation dev</c> writes them (P.crt, P.key.pem,
/// P.pem, P.p12; an agent also P.passkey). Returns the principal's constellation entry, bound by the certificate's
/// fingerprint and valid in the constellation until <see cref="NotAfter"/>.
/// </summary>
public sealed class ConstellationIssuer : IDisposable
{
    private readonly CertificateAuthority _ca;
    private readonly DateTimeOffset _now;

    private ConstellationIssuer(CertificateAuthority ca, string dir, DateTimeOffset now, DateTimeOffset notAfter)
    {
        _ca = ca;
        _now = now;
        Dir = dir;
        NotAfter = notAfter;
    }

    public string Dir { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>
    /// The issuer of <paramref name="current"/>'s CA, from the CA private key <paramref name="caKeyPath"/> and the
    /// <c>ca.crt</c> beside it, which must be the CA the constellation names. Null and a sentence when not.
    /// </summary>
    public static (ConstellationIssuer? Issuer, string? Problem) Open(Constellation current, string caKeyPath, string dir, DateTimeOffset now, DateTimeOffset notAfter)
    {
        if (current.Ca is null) return (null, $"constellation version {current.Version} names no TLS certificate authority (make it with 'constellation dev')");
        var caCert = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(caKeyPath))!, DevConstellation.AuthorityFile);
        CertificateAuthority ca;
        try
        {
            KeyFileMode.Check(caKeyPath);
            ca = CertificateAuthority.Load(caCert, caKeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException)
        {
            return (null, $"--ca-key {caKeyPath} (with {caCert}): {ex.Message}");
        }
        using var named = X509Certificate2.CreateFromPem(current.Ca);
        if (!named.RawDataMemory.Span.SequenceEqual(ca.Certificate.RawDataMemory.Span))
        {
            ca.Dispose();
            return (null, $"{caCert} is not the certificate authority constellation version {current.Version} names: --ca-key must be that CA's key");
        }
        Directory.CreateDirectory(dir);
        return (new ConstellationIssuer(ca, dir, now, notAfter), null);
    }

    /// <summary>Issues <paramref name="p"/>'s certificate (nodes also serve, for <paramref name="hostNames"/>) and writes its files.</summary>
    public Principal Issue(Principal p, PrincipalKind kind, IReadOnlyList<string> hostNames, List<string> written)
    {
        using var certificate = _ca.Issue(p.Id, kind, _now, kind == PrincipalKind.Node ? hostNames : null);
        var files = CertificateFiles.Write(Dir, p.Id, certificate);
        lock (written) written.AddRange(files);
        var issued = p with { Tls = TlsFingerprint.Of(certificate), TlsNotAfter = NotAfter };
        if (kind != PrincipalKind.Agent) return issued;
        var passkey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(Dir, p.Id + ".passkey");
        AtomicFile.WritePrivate(path, passkey + "\n");
        lock (written) written.Add(path);
        return issued with { Passkey = TrackerPasskey.Hash(passkey) };
    }

    public void Dispose() => _ca.Dispose();
}
