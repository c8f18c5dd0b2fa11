namespace Lunar.Dtn.Hosting;

/// <summary>A node or approver of the version in force; <c>revoked</c> when its key is in revokedKeys (it signs nothing that counts).</summary>
public sealed record ConstellationPrincipalView(string Id, string Role, string PublicKey, bool Revoked);
