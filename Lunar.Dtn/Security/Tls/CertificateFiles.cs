using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// A principal's TLS credentials on disk, as <c>constellation dev</c> writes them: <c>P.crt</c> (PEM certificate),
/// <c>P.key.pem</c> (PEM private key, 0600), <c>P.pem</c> (both, for <c>curl --cert</c>, 0600) and <c>P.p12</c> (for a
/// browser; empty password, 0600). Private files are created with their mode, never chmod-ed afterwards.
/// </summary>
public static class CertificateFiles
{
    public static string CertificatePath(string dir, string id) => Path.Combine(dir, id + ".crt");

    public static string KeyPath(string dir, string id) => Path.Combine(dir, id + ".key.pem");

    public static string CombinedPath(string dir, string id) => Path.Combine(dir, id + ".pem");

    /// <summary>Writes the four files of <paramref name="certificate"/> (which must hold its private key); returns their paths.</summary>
    /// <param name="durable">False in bulk issuance, which flushes everything once at the end (<see cref="FileCreationMask.SyncAll"/>).</param>
    public static IReadOnlyList<string> Write(string dir, string id, X509Certificate2 certificate, bool durable = true)
    {
        var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate holds no ECDSA private key", nameof(certificate));
        var certPem = certificate.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        var paths = new[] { CertificatePath(dir, id), KeyPath(dir, id), CombinedPath(dir, id), Path.Combine(dir, id + ".p12") };
        AtomicFile.WriteText(paths[0], certPem, AtomicFile.OwnerAndGroup | UnixFileMode.OtherRead, durable);
        AtomicFile.WritePrivate(paths[1], keyPem, durable);
        AtomicFile.WritePrivate(paths[2], certPem + keyPem, durable);
        AtomicFile.Write(paths[3], certificate.Export(X509ContentType.Pkcs12, ""), mode: AtomicFile.Private, durable: durable);
        return paths;
    }

    /// <summary>
    /// Loads a certificate and its private key from PEM files (the key may be in the certificate's file). Refuses a key
    /// file that others can read, naming the file and the fix. <see cref="FormatException"/> or IO exceptions say what is wrong.
    /// </summary>
    public static X509Certificate2 Load(string certificatePath, string? keyPath = null)
    {
        keyPath ??= certificatePath;
        KeyFileMode.Check(keyPath);
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // A PEM-loaded key is ephemeral; SslStream on Linux wants it exported and re-imported as PKCS#12 once.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"{certificatePath} / {keyPath}: not a PEM certificate and private key ({ex.Message})");
        }
    }

    /// <summary>The CA certificate of a PEM file (public only).</summary>
    public static X509Certificate2 LoadAuthority(string path)
    {
        try { return X509Certificate2.CreateFromPem(File.ReadAllText(path)); }
        catch (CryptographicException ex) { throw new FormatException($"{path}: not a PEM certificate ({ex.Message})"); }
    }
}
