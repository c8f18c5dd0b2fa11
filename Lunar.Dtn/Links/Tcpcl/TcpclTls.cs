using System.Net.Security;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>
/// TLS for TCPCLv4 (RFC 9174 §4.4): this entity sets CAN_TLS in its contact header; when the peer's header sets it too,
/// TLS 1.3 starts right after the contact headers (the entity that opened the connection is the TLS client), both sides
/// present node certificates, and each checks the other's with the constellation in force (a node of it, not this one, not
/// revoked), SESS_INIT and everything after it inside TLS. A peer that does not offer TLS (a relay with
/// <c>tryUseTls: false</c>) is still served in clear, unless <see cref="Required"/>.
/// </summary>
/// <param name="Certificate">This node's certificate with its private key.</param>
/// <param name="SelfId">This node's id (a peer presenting it is refused).</param>
/// <param name="Trust">The constellation version in force, asked at every handshake.</param>
public sealed record TcpclTls(SslStreamCertificateContext Certificate, string SelfId, Func<TrustStore> Trust)
{
    /// <summary>Refuse a peer whose contact header does not offer TLS (no plaintext session at all).</summary>
    public bool Required { get; init; }
}
