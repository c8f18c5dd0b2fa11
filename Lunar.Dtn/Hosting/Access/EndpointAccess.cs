using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>
/// What an endpoint needs, as endpoint metadata the <see cref="AccessGate"/> reads: a role of <see cref="Roles"/>, the agent
/// of the server named by a route value, or nothing (health, which answers without a certificate and gives no data).
/// An endpoint without it is refused for everyone: forgetting to name a role fails closed.
/// </summary>
public sealed record EndpointAccess(string? Role, string? AgentRouteValue, bool Anonymous, bool AnyAgent = false)
{
    /// <summary>Artifact content and torrents: viewers, and every agent (they download what their server installs).</summary>
    public static readonly EndpointAccess ViewerOrAgent = new(Roles.Viewer, null, false, AnyAgent: true);

    public static EndpointAccess For(string role) => new(role, null, false);

    public static EndpointAccess AgentOf(string routeValue) => new(null, routeValue, false);

    public static readonly EndpointAccess Health = new(null, null, true);

    /// <summary>
    /// The tracker: an agent's certificate, or a passkey in the URL for BitTorrent clients that cannot present one (the
    /// endpoint checks the passkey itself).
    /// </summary>
    public static readonly EndpointAccess AgentOrPasskey = new(Roles.Agent, null, true);

    public override string ToString() => Anonymous ? (Role is null ? "none (health)" : "agent certificate or passkey")
        : AnyAgent ? "viewer, or any agent" : AgentRouteValue is not null ? $"the agent of server {{{AgentRouteValue}}}" : Role!;
}
