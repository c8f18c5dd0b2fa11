using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Hosting.Metrics;

/// <summary>GET /metrics (Prometheus text, series named lunar_...) and GET /healthz/ready.</summary>
public static class MetricsEndpoints
{
    /// <summary>
    /// Creates the node's metrics before the app starts (so the executor's first status write is counted) and maps
    /// /metrics and /healthz/ready.
    /// </summary>
    public static WebApplication MapNodeMetrics(this WebApplication app)
    {
        var s = app.Services;
        var metrics = new NodeMetrics(s.GetRequiredService<Replica>(), s.GetRequiredService<NodeLinks>(), s.GetRequiredService<QuorumPolicy>(), s.GetService<Executor>(), s.GetRequiredService<NodeIdentity>());
        // A route handler (not prometheus-net's middleware) so that /metrics is in the OpenAPI document too.
        app.MapGet("/metrics", async (CancellationToken ct) =>
            {
                using var text = new MemoryStream();
                await metrics.Registry.CollectAndExportAsTextAsync(text, ct).ConfigureAwait(false);
                return Results.Bytes(text.ToArray(), "text/plain; version=0.0.4; charset=utf-8");
            })
            .Needs(Roles.Viewer).WithTags("Health").WithName("GetMetrics")
            .WithSummary("Prometheus metrics")
            .WithDescription("Prometheus text exposition format 0.0.4: campaign progress by phase and state, phase durations (histogram), " +
                "failures, rollbacks, link up and seconds since contact, bundles and bytes sent and received by kind and priority, outbox depth, " +
                "replica lag, verification failures by reason, seconds until each certificate stops acting and how many do within 60 days. Every series is named lunar_...")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        app.MapGet("/healthz/ready", Readiness.Check).Health()
            .WithTags("Health").WithName("GetReadiness")
            .WithSummary("Readiness")
            .WithDescription("200 when the store answers, the executor's loop runs (Moon and Tier 1) and the links were started; 503 with the failing check otherwise. " +
                "A link that is down does not make a node unready: blackouts are normal. vector is the total number of deltas the replica knows.")
            .Produces<ReadinessView>().Produces<ReadinessView>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
