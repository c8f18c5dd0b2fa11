using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>The HTTP surface both node services share.</summary>
public static class NodeEndpoints
{
    public static IEndpointRouteBuilder MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new HealthView("live", null))).Health()
            .WithTags("Health").WithName("GetLiveness")
            .WithSummary("Liveness")
            .WithDescription("200 as soon as the store is open and the API serves.")
            .Produces<HealthView>();
        // /healthz/ready and /metrics: Metrics/MetricsEndpoints.cs.
        app.MapGet("/api/v1/sync", (Replica replica, NodeIdentity me, NodeLinks links, Transfer.ArtifactReceiver receiver) => Results.Ok(SyncView.Of(replica, me, links, receiver))).Needs(Roles.Viewer)
            .WithTags("Sync").WithName("GetSync")
            .WithSummary("Sync state of this node and each peer")
            .WithDescription("This node's version vector and log sizes; per peer: link up, last contact, acknowledged vector, deltas behind " +
                "(control and status outbox), bundles and bytes sent by priority, received, duplicates, rejections (with the last reason) and retransmissions.")
            .Produces<SyncView>();
        return app;
    }
}
