using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
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
        g.MapGet("/{id}/assignment", (string id, Replica r, NodeIdentity me) =>
        {
            if (me.Role == NodeRole.Earth) return NotExecutor();
            var known = r.Read((s, _) => s.Servers.TryGetValue(id, out var sv) && sv.Inventory is not null);
            return known ? Results.Ok(new { serverId = id, assignment = (object?)null }) : UnknownAgent(id);
        }).WithName("GetAssignment");

        g.MapPost("/{id}/report", (string id, AgentReport? body, Replica r, NodeIdentity me) =>
        {
            if (me.Role == NodeRole.Earth) return NotExecutor();
            if (body is null) return Problems.Invalid("the body must be an agent report");
            if (body.Phase is null || !PhaseNames.TryParsePhase(body.Phase, out var phase))
                return Problems.Invalid($"phase '{body.Phase}' is not one of {string.Join(", ", Enum.GetValues<UpgradePhase>().Select(p => p.ToName()))}");
            if (body.Tier is { } t && t is < 1 or > 3) return Problems.Invalid($"tier {t} is not 1, 2 or 3");
            var known = r.Read((s, _) => s.Servers.TryGetValue(id, out var sv) && sv.Inventory is not null);
            if (!known && body.Site is null) return UnknownAgent(id);
            if (body.Site is not null)
            {
                r.SetInventory(id, ctx => new ServerInventory
                {
                    Site = new(body.Site, ctx.Stamp, ctx.ReplicaId),
                    Cluster = new(body.Cluster ?? "", ctx.Stamp, ctx.ReplicaId),
                    Tier = new(body.Tier ?? 3, ctx.Stamp, ctx.ReplicaId),
                    RedundancyGroup = new(body.RedundancyGroup ?? id, ctx.Stamp, ctx.ReplicaId),
                    Staging = new(body.Staging ?? false, ctx.Stamp, ctx.ReplicaId),
                    OwnerNode = new(r.Id, ctx.Stamp, ctx.ReplicaId),
                }, known ? null : new AuditNote(id, "agent-registered", $"server {id} at {body.Site}/{body.Cluster} tier {body.Tier ?? 3}"));
            }
            var now = r.Time.GetUtcNow().ToUnixTimeMilliseconds();
            r.SetStatus(id, (previous, seq) => new ServerStatus(body.CampaignId ?? previous?.CampaignId ?? "", body.Attempt ?? previous?.Attempt ?? 0, seq,
                phase, now, body.Version ?? previous?.Version, body.Detail, previous?.RollbackCount ?? 0));
            return Results.Ok(new { serverId = id, phase = phase.ToName() });
        }).WithName("ReportPhase");
        return app;
    }

    private static IResult NotExecutor() =>
        Problems.Conflict("agents report to their executor (the Moon or a Tier 1 node), not to Earth");

    private static IResult UnknownAgent(string id) =>
        Problems.NotFound($"unknown agent '{id}': its first report must say where the server is (site, cluster, tier)");
}
