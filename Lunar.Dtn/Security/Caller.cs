namespace Lunar.Dtn.Security;

/// <summary>
/// An authenticated principal: who presented a valid, unrevoked certificate of the constellation's CA, under which
/// constellation version. Audit entries name <see cref="Id"/>.
/// </summary>
public sealed record Caller(string Id, PrincipalKind Kind, string Role, int ConstellationVersion)
{
    /// <summary>True when this caller may act as <paramref name="role"/> (a role of <see cref="Roles"/>).</summary>
    public bool Has(string role) => Roles.Includes(Kind, Role, role);

    /// <summary>True when this caller is the agent of server <paramref name="serverId"/>.</summary>
    public bool IsAgentOf(string serverId) => Kind == PrincipalKind.Agent && string.Equals(Id, serverId, StringComparison.Ordinal);

    public override string ToString() => $"{Id} ({Role})";
}
