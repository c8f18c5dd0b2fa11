using System.Text.Json.Serialization;

namespace Lunar.Dtn.Security;

/// <summary>A node or an approver in the constellation: its id, role and public key (hex).</summary>
public sealed record Principal(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("publicKey")] string PublicKey);
