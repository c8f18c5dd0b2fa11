using Lunar.Dtn.Hosting.Access;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Tests.Access;

/// <summary>Every endpoint names what it needs; the list is the README's access table, checked here so the two cannot drift.</summary>
public sealed class EndpointAccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public void EveryEndpoint_DeclaresTheAccessItNeeds()
    {
        var endpoints = fixture.Moon.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();
        Assert.True(endpoints.Length > 30, $"only {endpoints.Length} endpoints found: the data source is not the node's");
        var undeclared = endpoints.Where(e => e.Metadata.GetMetadata<EndpointAccess>() is null).Select(e => e.RoutePattern.RawText).ToArray();
        Assert.True(undeclared.Length == 0, "endpoints without a declared role: " + string.Join(", ", undeclared));
    }

    [Theory]
    [InlineData("/healthz", "GET", "none (health)")]
    [InlineData("/metrics", "GET", "viewer")]
    [InlineData("/api/v1/campaigns/", "POST", "operator")]
    [InlineData("/api/v1/campaigns/{id}/start", "POST", "operator")]
    [InlineData("/api/v1/constellation", "POST", "admin")]
    [InlineData("/api/v1/bundles/export", "GET", "admin")]
    [InlineData("/api/v1/bundles/import", "POST", "admin")]
    [InlineData("/api/v1/agents/{id}/report", "POST", "the agent of server {id}")]
    [InlineData("/api/v1/artifacts/{id}/content", "GET", "viewer, or any agent")]
    [InlineData("/announce", "GET", "agent certificate or passkey")]
    public void SensitiveEndpoints_NeedTheDocumentedRole(string pattern, string method, string access)
    {
        var endpoint = fixture.Moon.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText?.TrimEnd('/') == pattern.TrimEnd('/') && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains(method) == true);
        Assert.Equal(access, endpoint.Metadata.GetMetadata<EndpointAccess>()!.ToString());
    }
}
