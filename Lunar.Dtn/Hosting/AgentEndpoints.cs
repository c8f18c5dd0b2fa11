using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The agent protocol on executor nodes (Moon, Tier 1): agents register their server and report its phase;
/// the executor records inventory and status as the server's single writer.
/// </summary>
public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/agents").WithTags("Agents");
        g.MapGet("/{id}/assignment", Assignment).WithName("GetAssignment")
            .WithSummary("What the agent's server should do next (executor nodes only)")
            .WithDescription("Minimal in this round: answers for a registered server, with no assignment yet. 404 for an agent that never reported its site; 409 on Earth.")
            .Produces<AgentAssignment>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        g.MapPost("/{id}/report", Report).WithName("ReportPhase")
            .WithSummary("An agent reports its server's phase (executor nodes only)")
            .WithDescription("phase is one of " + ValidPhases() + ". The first report must say where the server is (site; cluster, tier 1-3, " +
                "redundancyGroup and staging are optional): it registers the server, owned by this node. Later reports may omit them; fields they give are updated. 409 on Earth.")
            .Accepts<AgentReport>("application/json")
            .Produces<AgentReportResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static IResult Assignment(string id, Replica r, NodeIdentity me)
    {
        if (me.Role == NodeRole.Earth) return NotExecutor();
        var known = r.Read((s, _) => s.Servers.TryGetValue(id, out var sv) && sv.Inventory is not null);
        return known ? Results.Ok(new AgentAssignment(id, null)) : UnknownAgent(id);
    }

    private static IResult Report(string id, AgentReport? body, Replica r, NodeIdentity me)
    {
        if (me.Role == NodeRole.Earth) return NotExecutor();
        if (body is null) return Problems.Invalid("the body must be an agent report");
        if (body.Phase is null || !PhaseNames.TryParsePhase(body.Phase, out var phase))
            return Problems.Invalid($"phase '{body.Phase}' is not one of {ValidPhases()}");
        if (body.Tier is { } t && t is < 1 or > 3) return Problems.Invalid($"tier {t} is not 1, 2 or 3");
        var known = r.Read((s, _) => s.Servers.TryGetValue(id, out var sv) && sv.Inventory is not null);
        if (!known && body.Site is null) return UnknownAgent(id);
        if (body.Site is not null)
        {
            // On first contact every field gets a value; later, only the fields the report gives are written.
            r.SetInventory(id, ctx => new ServerInventory
            {
                Site = new(body.Site, ctx.Stamp, ctx.ReplicaId),
                Cluster = known && body.Cluster is null ? null : new(body.Cluster ?? "", ctx.Stamp, ctx.ReplicaId),
                Tier = known && body.Tier is null ? null : new(body.Tier ?? 3, ctx.Stamp, ctx.ReplicaId),
                RedundancyGroup = known && body.RedundancyGroup is null ? null : new(body.RedundancyGroup ?? id, ctx.Stamp, ctx.ReplicaId),
                Staging = known && body.Staging is null ? null : new(body.Staging ?? false, ctx.Stamp, ctx.ReplicaId),
                OwnerNode = new(r.Id, ctx.Stamp, ctx.ReplicaId),
            }, known ? null : new AuditNote(id, "agent-registered", $"server {id} at {body.Site}/{body.Cluster} tier {body.Tier ?? 3}"));
        }
        var now = r.Time.GetUtcNow().ToUnixTimeMilliseconds();
        r.SetStatus(id, (previous, seq) => new ServerStatus(body.CampaignId ?? previous?.CampaignId ?? "", body.Attempt ?? previous?.Attempt ?? 0, seq,
            phase, now, body.Version ?? previous?.Version, body.Detail, previous?.RollbackCount ?? 0));
        return Results.Ok(new AgentReportResult(id, phase.ToName()));
    }

    private static string ValidPhases() => string.Join(", ", Enum.GetValues<UpgradePhase>().Select(p => p.ToName()));

    private static IResult NotExecutor() =>
        Problems.Conflict("agents report to their executor (the Moon or a Tier 1 node), not to Earth");

    private static IResult UnknownAgent(string id) =>
        Problems.NotFound($"unknown agent '{id}': its first report must say where the server is (site, cluster, tier)");
}
