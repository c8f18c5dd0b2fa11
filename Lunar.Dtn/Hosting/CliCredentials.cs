using System.CommandLine;
using System.Security.Cryptography;
using Lunar.Dtn.Security;
using Lunar.Dtn.Security.Tls;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// How a verb that calls a running node authenticates: <c>--cert FILE.pem</c> (certificate and private key, as
/// <c>constellation dev</c> writes P.pem) and <c>--ca FILE</c> (the constellation's ca.crt, which alone says whether the
/// node is genuine). Nodes serve only HTTPS with client certificates, so both are needed whenever a verb names a node.
/// </summary>
public static class CliCredentials
{
    public static Option<string?> CertOption() =>
        new("--cert") { Description = "Your certificate and private key (PEM, e.g. DIR/carol.pem from 'constellation dev'), presented to the node" };

    public static Option<string?> CaOption() =>
        new("--ca") { Description = "The constellation's certificate authority (PEM, e.g. DIR/ca.crt): the node's certificate must be issued by it" };

    /// <summary>
    /// An HTTPS client of <paramref name="nodeUrl"/> presenting <paramref name="certPath"/> and checking the node against
    /// <paramref name="caPath"/>; or null and one sentence naming the option or file at fault.
    /// </summary>
    public static (HttpClient? Client, string? Problem) Client(string nodeUrl, string? certPath, string? caPath, TimeSpan timeout)
    {
        if (!Uri.TryCreate(nodeUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return (null, $"--node '{nodeUrl}' is not a URL (e.g. https://127.0.0.1:5081)");
        if (uri.Scheme == "http")
            return (null, $"--node {nodeUrl}: nodes serve only HTTPS with client certificates; use https://{uri.Authority}");
        if (certPath is null || caPath is null)
            return (null, $"calling {nodeUrl} needs --cert FILE.pem (your certificate and key) and --ca FILE (the constellation's ca.crt)");
        try
        {
            var credentials = ClientCredentials.Load(certPath, caPath);
            return (new HttpClient(credentials.CreateHandler(), disposeHandler: true) { BaseAddress = uri, Timeout = timeout }, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or CryptographicException)
        {
            return (null, $"--cert {certPath} / --ca {caPath}: {ex.Message}");
        }
    }

    /// <summary>
    /// <c>approve</c>'s defaults: the certificate beside the approver's Ed25519 key (<c>DIR/alice.key</c> →
    /// <c>DIR/alice.pem</c>) and the CA beside that (<c>DIR/ca.crt</c>), as <c>constellation dev</c> lays them out.
    /// </summary>
    public static (string Cert, string Ca) BesideKey(string keyPath)
    {
        var full = Path.GetFullPath(keyPath);
        var dir = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var stem = name.EndsWith(".key", StringComparison.Ordinal) ? name[..^4] : name;
        return (Path.Combine(dir, stem + ".pem"), Path.Combine(dir, DevConstellation.AuthorityFile));
    }
}
