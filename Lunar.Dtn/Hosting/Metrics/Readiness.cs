using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Hosting.Metrics;

/// <summary>
/// What /healthz/ready checks: the store answers a read, the executor's scheduling loop runs and its last pass succeeded (nodes that execute),
/// and the links were started (unless air-gapped). A link that is down does not make a node unready: blackouts are
/// normal, and the node keeps serving operators and agents through them.
/// </summary>
public static class Readiness
{
    public static IResult Check(HttpContext http)
    {
        var services = http.RequestServices;
        var checks = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var ready = true;
        long? vector = null;
        try
        {
            vector = services.GetRequiredService<Replica>().Read((_, v) => v.Total);
            checks["store"] = "open";
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            checks["store"] = $"unreadable: {ex.Message}";
            ready = false;
        }
        if (services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ExecutorService>().FirstOrDefault() is { } executor)
        {
            checks["executor"] = executor.Health;
            ready &= executor.Healthy;
        }
        var node = services.GetRequiredService<NodeOptions>();
        var links = services.GetRequiredService<NodeLinks>();
        checks["links"] = node.AirGapped ? "air-gapped" : $"{links.Peers.Count(p => p.Link.IsUp)} of {links.Peers.Count} peer link(s) up";
        var view = new ReadinessView(ready ? "ready" : "not-ready", vector, checks);
        return ready ? Results.Ok(view) : Results.Json(view, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
