using System.ComponentModel;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// The link's handshake: mutual TLS 1.3, nothing before it. Both sides present their node certificates; each checks the
/// other's with the trust store in force (<see cref="TrustStore.Authenticate"/>: this constellation's CA, the fingerprint
/// the constellation lists, not revoked, not past its <c>tlsNotAfter</c>), and that it names a node: on a dial, the
/// configured peer; on an accept, a node the listener admits. A dialler that sends anything but a TLS handshake (plaintext,
/// an old <c>lunar-dtn/tcp/1</c> hello) is refused with a reason, and nothing is ever sent in clear.
/// </summary>
/// <remarks>
/// The key-proof of <c>lunar-dtn/tcp/1</c> (each side signing both fresh nonces with its Ed25519 node key) is gone: TLS 1.3's
/// CertificateVerify already proves the certificate's key over a transcript with both sides' fresh randoms, and the
/// constellation binds that key to the same node principal as its Ed25519 key (revoking the node revokes both). Keeping
/// the proof inside TLS would cost two more light times. Session resumption is off: every session presents and checks
/// certificates afresh, so a constellation version that revokes a node refuses it on its next session.
/// </remarks>
public static class LinkTls
{
    /// <summary>The link protocol, negotiated by ALPN inside the TLS handshake (no extra trip).</summary>
    public const string Protocol = "lunar-dtn/tcp/2";

    public static readonly SslApplicationProtocol Alpn = new(Protocol);

    /// <summary>A TLS handshake record starts with this byte (content type 22); anything else is not TLS.</summary>
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>The proven peer: its node id and the certificate it presented (kept to re-check under a newer constellation).</summary>
    public sealed record Peer(string Id, X509Certificate2 Certificate, int TrustVersion);

    /// <summary>Accepts a TLS session on a fresh connection; the peer must be a node that <paramref name="admits"/> (by id).</summary>
    public static Task<(SslStream Stream, Peer Peer)> AcceptAsync(Stream connection, SslStreamCertificateContext self, string selfId, TrustStore trust,
        Func<string, string?> admits, TimeProvider time, CancellationToken ct) =>
        AuthenticateAsync(connection, self, asClient: false, selfId, trust, expectedPeer: null, admits, Alpn, time, ct);

    /// <summary>Opens a TLS session to <paramref name="expectedPeer"/> on a fresh connection.</summary>
    public static Task<(SslStream Stream, Peer Peer)> DialAsync(Stream connection, SslStreamCertificateContext self, string selfId, TrustStore trust,
        string expectedPeer, TimeProvider time, CancellationToken ct) =>
        AuthenticateAsync(connection, self, asClient: true, selfId, trust, expectedPeer, admits: null, Alpn, time, ct);

    /// <summary>
    /// Null when <paramref name="certificate"/> names a node that may hold a link session with <paramref name="selfId"/> under
    /// <paramref name="trust"/> at <paramref name="now"/> (and, when given, is <paramref name="expectedPeer"/> and admitted); else why not.
    /// </summary>
    public static string? Check(X509Certificate2 certificate, TrustStore trust, DateTimeOffset now, string selfId, string? expectedPeer,
        Func<string, string?>? admits, out string? peerId)
    {
        peerId = null;
        var lookup = trust.Authenticate(certificate, now);
        if (!lookup.Ok) return lookup.Problem;
        var caller = lookup.Caller!;
        if (caller.Kind != PrincipalKind.Node)
            return $"'{caller.Id}' presented a {caller.Kind.ToString().ToLowerInvariant()} certificate, not a node's";
        if (caller.Id == selfId) return $"the peer presented this node's own certificate ('{selfId}')";
        if (expectedPeer is not null && caller.Id != expectedPeer) return $"dialled '{expectedPeer}' but '{caller.Id}' answered";
        if (admits?.Invoke(caller.Id) is { } refused) return refused;
        peerId = caller.Id;
        return null;
    }

    /// <summary>
    /// Mutual TLS 1.3 on <paramref name="connection"/> as client or server, the peer a node checked as <see cref="Check"/> says;
    /// with <paramref name="alpn"/>, that protocol must be negotiated. Also TCPCLv4's TLS (RFC 9174 §4.4), which negotiates none.
    /// </summary>
    public static async Task<(SslStream Stream, Peer Peer)> AuthenticateAsync(Stream connection, SslStreamCertificateContext self, bool asClient, string selfId,
        TrustStore trust, string? expectedPeer, Func<string, string?>? admits, SslApplicationProtocol? alpn, TimeProvider time, CancellationToken ct)
    {
        List<SslApplicationProtocol>? protocols = alpn is { } a ? [a] : null;
        var watch = new FirstByteStream(connection);
        var ssl = new SslStream(watch, leaveInnerStreamOpen: false);
        string? problem = null;
        string? peerId = null;
        bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            // The machine's trust store and host names mean nothing here: the constellation alone says who a node is.
            if (certificate is null) { problem = "the peer presented no certificate"; return false; }
            var presented = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            problem = Check(presented, trust, time.GetUtcNow(), selfId, expectedPeer, admits, out peerId);
            return problem is null;
        }
        try
        {
            if (!asClient)
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = self,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ApplicationProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    AllowRenegotiation = false,
                    AllowTlsResume = false,
                    RemoteCertificateValidationCallback = Validate,
                }, ct).ConfigureAwait(false);
            else
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    // No TargetHost: no server name in clear in the ClientHello; the CA, not DNS, says who answered.
                    ClientCertificateContext = self,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ApplicationProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    AllowRenegotiation = false,
                    AllowTlsResume = false,
                    RemoteCertificateValidationCallback = Validate,
                }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or InvalidOperationException or Win32Exception)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new LinkProtocolException(problem ?? Explain(watch.FirstByte, ex));
        }
        catch (OperationCanceledException) when (watch.FirstByte is >= 0 and not TlsHandshakeRecord)
        {
            // A plaintext peer that stops short of what a TLS record header needs: say what it sent, not only that it timed out.
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new LinkProtocolException(Explain(watch.FirstByte, new TimeoutException()));
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // Belt and braces: whatever the callback saw, the session stands only on a certificate checked here.
        var refusal = ssl.RemoteCertificate is not X509Certificate2 remote ? "the peer presented no certificate"
            : ssl.SslProtocol != SslProtocols.Tls13 ? $"the session is {ssl.SslProtocol}, not TLS 1.3"
            : alpn is { } wanted && ssl.NegotiatedApplicationProtocol != wanted ? $"the peer does not speak {wanted} (ALPN '{ssl.NegotiatedApplicationProtocol}')"
            : Check(remote, trust, time.GetUtcNow(), selfId, expectedPeer, admits, out peerId);
        if (refusal is not null)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new LinkProtocolException(refusal);
        }
        return (ssl, new Peer(peerId!, (X509Certificate2)ssl.RemoteCertificate!, trust.Version));
    }

    private static string Explain(int firstByte, Exception ex) => firstByte switch
    {
        -1 => $"the connection closed during the TLS handshake ({ex.Message})",
        TlsHandshakeRecord => $"the TLS 1.3 handshake failed: {ex.Message}",
        _ => $"plaintext instead of a TLS handshake (first byte 0x{firstByte:x2}): this link speaks only mutual TLS 1.3",
    };

    /// <summary>Passes everything through and remembers the first byte the peer sent (to say why a handshake failed).</summary>
    private sealed class FirstByteStream(Stream inner) : Stream
    {
        public int FirstByte { get; private set; } = -1;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Seen(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Seen(buffer.Span, n);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        private int Seen(Span<byte> buffer, int n)
        {
            if (n > 0 && FirstByte < 0) FirstByte = buffer[0];
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
