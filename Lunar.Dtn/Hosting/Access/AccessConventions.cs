using Lunar.Dtn.Security;
using Microsoft.AspNetCore.Builder;

namespace Lunar.Dtn.Hosting.Access;

/// <summary>How an endpoint names the role it needs: <c>.Needs(Roles.Operator)</c>, <c>.ForAgentOf("id")</c>, <c>.Health()</c>.</summary>
public static class AccessConventions
{
    public static TBuilder Needs<TBuilder>(this TBuilder builder, string role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(EndpointAccess.For(role));

    public static TBuilder ForAgentOf<TBuilder>(this TBuilder builder, string routeValue) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(EndpointAccess.AgentOf(routeValue));

    public static TBuilder ViewerOrAgent<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(EndpointAccess.ViewerOrAgent);

    public static TBuilder Health<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(EndpointAccess.Health);

    public static TBuilder AgentOrPasskey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(EndpointAccess.AgentOrPasskey);
}
