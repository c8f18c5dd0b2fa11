using System.Text.Json.Serialization;

namespace Lunar.Dtn.Security;

/// <summary>
/// Someone the constellation knows: a node, an approver, an operator or an agent. Its id, role and Ed25519 public
/// key (hex; empty for operators and agents, who sign nothing), and the TLS facts that bind its X.509 certificate to
/// it: the certificate's public-key fingerprint, until when the constellation lets that certificate act, and for
/// agents the hash of the tracker passkey issued with their credentials.
/// </summary>
/// <remarks>
/// The TLS fields are left out of the JSON when absent, so constellation files made before they existed keep their
/// bytes and their root signature.
/// </remarks>
public sealed record Principal(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("publicKey")] string PublicKey)
{
    /// <summary>SHA-256 of the certificate's SubjectPublicKeyInfo (hex): the certificate this principal presents.</summary>
    [JsonPropertyName("tls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tls { get; init; }

    /// <summary>
    /// The last instant the constellation lets this principal's certificate act. Renewal is a new constellation version
    /// moving it later: it travels by link or stick like any record, and no new file has to reach the holder.
    /// </summary>
    [JsonPropertyName("tlsNotAfter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? TlsNotAfter { get; init; }

    /// <summary>Agents only: SHA-256 (hex) of the tracker passkey a BitTorrent client without a certificate announces with.</summary>
    [JsonPropertyName("passkey")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Passkey { get; init; }
}
