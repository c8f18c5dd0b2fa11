using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// Kestrel serves only TLS 1.3 with this node's certificate and asks every client for its certificate. The handshake
/// accepts any certificate so that the <see cref="AccessGate"/> can say why one is refused (a 401 problem naming the
/// reason, against the constellation version in force now, which a failed handshake cannot), and so that health answers
/// without one. No request reaches data without a certificate the gate accepted.
/// </summary>
public static class NodeHttps
{
    /// <summary>How long a client may take over its TLS handshake.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    public static IWebHostBuilder UseNodeHttps(this IWebHostBuilder builder, X509Certificate2 certificate) =>
        builder.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                https.SslProtocols = SslProtocols.Tls13;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                // Kestrel's default of 10 s aborted genuine handshakes on a saturated 2-core machine (30 agents restarting at
                // once); a connection still handshaking holds only its socket, and Kestrel's connection limits bound those.
                https.HandshakeTimeout = HandshakeTimeout;
                https.AllowAnyClientCertificate();
            });
        });

    /// <summary>The first plain-HTTP address of <paramref name="urls"/> (semicolon separated), or null when every one is HTTPS.</summary>
    public static string? PlainUrls(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => !u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
