using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The agent protocol on executor nodes (Moon, Tier 1): an agent registers its server, long-polls its
/// assignment, and reports every phase; the executor is the single writer of the server's status.
/// </summary>
/// <remarks>
/// Only the agent certificate of server <c>{id}</c> reaches these handlers (the <see cref="AccessGate"/> answers 401 without
/// a certificate and 403 for any other principal, other agents included), so an agent reports, polls and registers for its
/// own server only. What a server is (site, cluster, tier, redundancy group, staging) is fixed by its first registration:
/// a registration that differs is refused with 409 naming the field, and nothing changes.
/// </remarks>
public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/agents").WithTags("Agents").ForAgentOf("id");
        g.MapGet("/{id}/assignment", Assignment).WithName("GetAssignment")
            .WithSummary("What the agent's server should do now (executor nodes only; long poll)")
            .WithDescription("200 with the assignment (campaign, attempt, artifact sha256, version and size, the server's current phase, phase timeouts) " +
                "when the server is queued or under way; 204 when it has nothing to do within waitSeconds (0-60). 404 for an agent that never registered; 409 on Earth. " +
                "Long polls (waitSeconds > 0) are capped per principal (Agents:MaxLongPollsPerPrincipal, default 2) and in total (Agents:MaxLongPolls, default 10,000): 429 naming the cap.")
            .Produces<Assignment>().Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        g.MapPost("/{id}/report", Report).WithName("ReportPhase")
            .WithSummary("An agent reports its server's phase (executor nodes only)")
            .WithDescription("Only the agent certificate of server {id} (401 without a certificate, 403 for anyone else). " +
                "phase is one of " + ValidPhases() + ". Registration: phase idle with site (cluster, tier 1-3, redundancyGroup, staging optional); " +
                "the server is then owned by this node, and what it registered is fixed: a later registration that changes site, cluster, tier, " +
                "redundancyGroup or staging answers 409 naming the field and changes nothing. Progress: campaignId, attempt, phase, seq (the agent's report count for the attempt). " +
                "A repeated report (same seq) answers 200 with duplicate=true and changes nothing; a replayed older report, a phase out of order, " +
                "a stale attempt or a timed-out attempt answers 409 with the server's phase as the executor sees it. 409 on Earth.")
            .Accepts<AgentReport>("application/json").JsonBody(BodyLimits.AgentReportFields)
            .Produces<AgentReportResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        g.MapGet("/{id}/campaigns/{campaignId}", PinnedArtifact).WithName("GetAgentCampaign")
            .WithSummary("The artifact the server's current campaign pins (executor nodes only)")
            .WithDescription("For the agent's mix-and-match check before it downloads: { id, artifactId } of campaign {campaignId}, only when it is the " +
                "campaign of the server's current attempt (the campaign's other facts are an operator's business); 404 otherwise.")
            .Produces<AgentCampaignView>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult PinnedArtifact(string id, string campaignId, HttpContext h)
    {
        if (h.RequestServices.GetService<Executor>() is null) return NotExecutor();
        var pinned = h.RequestServices.GetRequiredService<Replica>().Read((s, _) =>
            s.Servers.TryGetValue(id, out var sv) && sv.Status?.CampaignId == campaignId && s.Campaigns.TryGetValue(campaignId, out var c)
                ? c.Definition?.ArtifactId?.Value
                : null);
        return pinned is null
            ? Problems.NotFound($"campaign '{campaignId}' is not the campaign of server {id}'s current attempt")
            : Results.Ok(new AgentCampaignView(campaignId, pinned));
    }

    private static async Task<IResult> Assignment(string id, int? waitSeconds, HttpContext h)
    {
        if (h.RequestServices.GetService<Executor>() is not { } executor) return NotExecutor();
        var known = h.RequestServices.GetRequiredService<Replica>().Read((s, _) => s.Servers.TryGetValue(id, out var sv) && sv.Inventory is not null);
        if (!known) return Problems.NotFound($"unknown agent '{id}': register it first (report phase idle with site, cluster, tier)");
        if (waitSeconds is < 0 or > 60) return Problems.Invalid($"waitSeconds {waitSeconds} is not between 0 and 60");
        if (waitSeconds is not > 0)
            return await executor.WaitForAssignmentAsync(id, TimeSpan.Zero, h.RequestAborted).ConfigureAwait(false) is { } now ? Results.Ok(now) : Results.NoContent();
        // A long poll holds a request open: counted per principal and in total (Agents:MaxLongPolls*), 429 over either.
        using var slot = h.RequestServices.GetRequiredService<LongPolls>().Slots.TryTake(h.Caller().Id, out var refusal);
        if (slot is null) return refusal!;
        var assignment = await executor.WaitForAssignmentAsync(id, TimeSpan.FromSeconds(waitSeconds.Value), h.RequestAborted).ConfigureAwait(false);
        return assignment is null ? Results.NoContent() : Results.Ok(assignment);
    }

    private static IResult Report(string id, AgentReport? body, HttpContext h)
    {
        if (h.RequestServices.GetService<Executor>() is not { } executor) return NotExecutor();
        // The gate already lets only the agent of {id} through; checked again here, where the report is written.
        if (h.CallerOrNull() is not { } caller || !caller.IsAgentOf(id))
            return Results.Problem(title: "Forbidden", detail: $"only the agent certificate of server '{id}' may report for it", statusCode: StatusCodes.Status403Forbidden);
        if (body is null) return Problems.Invalid("the body must be an agent report");
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, value) in new[] { ("campaignId", body.CampaignId), ("phase", body.Phase), ("detail", body.Detail), ("version", body.Version),
            ("site", body.Site), ("cluster", body.Cluster), ("redundancyGroup", body.RedundancyGroup) })
            BodyLimits.Check(errors, BodyLimits.AgentReportFields, field, value);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var outcome = executor.Report(id, body);
        return outcome.Status switch
        {
            ReportStatus.Accepted => Results.Ok(new AgentReportResult(id, outcome.Phase, false)),
            ReportStatus.Duplicate => Results.Ok(new AgentReportResult(id, outcome.Phase, true)),
            ReportStatus.UnknownAgent => Problems.NotFound(outcome.Problem!),
            ReportStatus.Invalid => Problems.Invalid(outcome.Problem!),
            ReportStatus.Refused => Results.Problem(title: "Registration refused", detail: outcome.Problem, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["phase"] = outcome.Phase }),
            _ => Results.Problem(title: "Report refused", detail: outcome.Problem, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["phase"] = outcome.Phase }),
        };
    }

    private static string ValidPhases() => string.Join(", ", Enum.GetValues<UpgradePhase>().Select(p => p.ToName()));

    private static IResult NotExecutor() =>
        Problems.Conflict("agents report to their executor (the Moon or a Tier 1 node), not to Earth");
}

/// <summary>What an agent may read of its server's campaign: the artifact it pins.</summary>
public sealed record AgentCampaignView(string Id, string ArtifactId);
