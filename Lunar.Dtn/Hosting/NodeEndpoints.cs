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
        app.MapGet("/healthz", () => Results.Ok(new { status = "live" }));
        app.MapGet("/healthz/ready", (Replica replica) => Results.Ok(new { status = "ready", vector = replica.Vector.Total }));
        app.MapGet("/api/v1/sync", (Replica replica, NodeIdentity me, NodeLinks links) => Results.Ok(SyncView.Of(replica, me, links))).WithTags("Sync").WithName("GetSync");
        return app;
    }
}
