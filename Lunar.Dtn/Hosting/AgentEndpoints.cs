using Lunar.Dtn.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The agent protocol on executor nodes (Moon, Tier 1): an agent registers its server, long-polls its
/// assignment, and reports every phase; the executor is the single writer of the server's status.
/// </summary>
public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/agents").WithTags("Agents");
        g.MapGet("/{id}/assignment", async (string id, int? waitSeconds, HttpContext h) =>
        {
            if (h.RequestServices.GetService<Executor>() is not { } executor) return NotExecutor();
            var known = h.RequestServices.GetRequiredService<Lunar.Dtn.Replication.Replica>()
                .Read((s, _) => s.Servers.TryGetValue(id, out var sv) && sv.Inventory is not null);
            if (!known) return Problems.NotFound($"unknown agent '{id}': register it first (report phase idle with site, cluster, tier)");
            var wait = TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, 60));
            var assignment = await executor.WaitForAssignmentAsync(id, wait, h.RequestAborted).ConfigureAwait(false);
            return assignment is null ? Results.NoContent() : Results.Ok(assignment);
        }).WithName("GetAssignment");

        g.MapPost("/{id}/report", (string id, AgentReport? body, HttpContext h) =>
        {
            if (h.RequestServices.GetService<Executor>() is not { } executor) return NotExecutor();
            if (body is null) return Problems.Invalid("the body must be an agent report");
            var outcome = executor.Report(id, body);
            return outcome.Status switch
            {
                ReportStatus.Accepted => Results.Ok(new { serverId = id, phase = outcome.Phase, duplicate = false }),
                ReportStatus.Duplicate => Results.Ok(new { serverId = id, phase = outcome.Phase, duplicate = true }),
                ReportStatus.UnknownAgent => Problems.NotFound(outcome.Problem!),
                ReportStatus.Invalid => Problems.Invalid(outcome.Problem!),
                _ => Results.Problem(title: "Report refused", detail: outcome.Problem, statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["phase"] = outcome.Phase }),
            };
        }).WithName("ReportPhase");
        return app;
    }

    private static IResult NotExecutor() =>
        Problems.Conflict("agents report to their executor (the Moon or a Tier 1 node), not to Earth");
}
