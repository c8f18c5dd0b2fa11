using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>Servers, approvals, the audit log and the emergency stop.</summary>
public static class RecordEndpoints
{
    public static IEndpointRouteBuilder MapRecordEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/servers/{id}/state", ServerState).Needs(Roles.Viewer)
            .WithTags("Servers").WithName("GetServerState")
            .WithSummary("One server's upgrade state")
            .WithDescription("Phase, attempt, campaign, version, inventory (site, cluster, tier, owner), the operator note and the last 20 audit entries that name the server.")
            .Produces<ServerView>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/v1/approvals/{campaignId}", SubmitApproval).Needs(Roles.Operator)
            .WithTags("Approvals").WithName("SubmitApproval")
            .WithSummary("Submit a signed approval (or rejection) of a campaign")
            .WithDescription("The approver signs ApprovalRecord.SigningBytes (campaign id, the campaign's current contentHash from GET, decision, approverId, role, signedAtMs) " +
                "with their own Ed25519 key; signature is 128 hex digits. Checked here: known approver in the constellation, the role it holds, the signature, " +
                "the current content hash, not revoked. 201 with the quorum when recorded; 200 when the same approval was already recorded.")
            .Accepts<ApprovalRequest>("application/json").JsonBody(BodyLimits.ApprovalFields)
            .Produces<ApprovalsView>(StatusCodes.Status201Created).Produces<ApprovalsView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/approvals/{campaignId}", GetApprovals).Needs(Roles.Viewer)
            .WithTags("Approvals").WithName("GetApprovals")
            .WithSummary("A campaign's approvals and quorum")
            .WithDescription("The campaign's current content hash (what approvers sign), whether the quorum holds, who counted, which approvals do not count and why, and what is missing.")
            .Produces<ApprovalsView>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/audit", GetAudit).Needs(Roles.Viewer)
            .WithTags("Audit").WithName("GetAudit")
            .WithSummary("The merged audit log")
            .WithDescription("Every replica's hash-chained entries, ordered by hybrid time. Filters (all optional, combined): campaign (entries naming the campaign id), " +
                "actor, action (e.g. campaign-pause, approval-approve, artifact-registered, control-conflict), replica (whose log). limit (at least 1, default 1000) keeps the latest entries.")
            .Produces<AuditView[]>().ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapPost("/api/v1/emergency-stop", EmergencyStop).Needs(Roles.Operator)
            .WithTags("Execution").WithName("EmergencyStop")
            .WithSummary("Pause every active campaign at once (Moon and Tier 1 only)")
            .WithDescription("Writes a pause for every running or awaiting-approval campaign and answers which were stopped. Earth answers 409: " +
                "the stop acts where servers are executed, and Earth's own pause reaches them one light time later.")
            .Produces<EmergencyStopResult>().ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static IResult ServerState(string id, Replica r) => r.Read((s, _) =>
        s.Servers.TryGetValue(id, out var server) ? Results.Ok(ServerView.Of(id, server, s)) : Problems.NotFound($"no server '{id}' on this node"));

    private static IResult SubmitApproval(string campaignId, ApprovalRequest? body, Replica r, QuorumPolicy p)
    {
        if (body is null) return Problems.Invalid("the body must be a signed approval");
        var record = body.ToRecord(campaignId, out var problem);
        if (record is null) return Problems.Invalid(problem!);
        var check = r.Read((s, _) =>
        {
            if (!s.Campaigns.TryGetValue(campaignId, out var c) || c.Definition is null) return $"no campaign '{campaignId}' on this node";
            var revoked = s.Revocations.Values.Select(v => v.ApprovalId).ToHashSet(StringComparer.Ordinal);
            // A rejection is recorded too (it never counts): verify it over its own decision.
            var reason = ApprovalQuorum.Verify(record, c.Definition.ContentHash(campaignId), revoked, r.Trust);
            return reason is null ? null : $"approval by '{record.ApproverId}' refused: {reason}";
        });
        if (check is not null) return check.StartsWith("no campaign", StringComparison.Ordinal) ? Problems.NotFound(check) : Problems.Invalid(check);
        if (r.Read((s, _) => s.Approvals.ContainsKey(record.Id))) return Results.Ok(ApprovalsView.Of(r, campaignId, p));
        r.AddApproval(record);
        return Results.Created($"/api/v1/approvals/{campaignId}", ApprovalsView.Of(r, campaignId, p));
    }

    private static IResult GetApprovals(string campaignId, Replica r, QuorumPolicy p) =>
        r.Read((s, _) => s.Campaigns.ContainsKey(campaignId)) ? Results.Ok(ApprovalsView.Of(r, campaignId, p)) : Problems.NotFound($"no campaign '{campaignId}' on this node");

    private static IResult GetAudit(string? campaign, string? actor, string? action, string? replica, int? limit, Replica r)
    {
        if (limit is < 1) return Problems.Invalid($"limit must be at least 1 (got {limit})");
        return Results.Ok(r.Read((s, _) => s.Audit.Values
            .Where(a => campaign is null || a.Details.Contains(campaign, StringComparison.Ordinal))
            .Where(a => actor is null || a.Actor == actor)
            .Where(a => action is null || a.Action == action)
            .Where(a => replica is null || a.Replica == replica)
            .OrderBy(a => a.Stamp).ThenBy(a => a.Replica, StringComparer.Ordinal).ThenBy(a => a.Index)
            .TakeLast(Math.Min(limit ?? 1000, 100_000))
            .Select(AuditView.Of).ToArray()));
    }

    private static IResult EmergencyStop(HttpContext h, Replica r, NodeIdentity me, QuorumPolicy p)
    {
        if (me.Role == NodeRole.Earth)
            return Problems.Conflict("the emergency stop acts where servers are executed: call it on the Moon or a Tier 1 node (Earth's pause reaches them one light time later)");
        var actor = CampaignEndpoints.Actor(h);
        var stopped = new List<string>();
        foreach (var id in r.Read((s, _) => s.Campaigns.Keys.ToArray()))
        {
            var view = r.Read((s, _) => CampaignView.Build(s, id, r.Trust, p));
            // Active: a run was written. A campaign never started has nothing to stop.
            if (view is null || view.State != CampaignState.Running.ToName() && view.State != CampaignState.AwaitingApproval.ToName()) continue;
            r.Control(id, CampaignControl.Pause, actor, "emergency stop");
            stopped.Add(id);
        }
        return Results.Ok(new EmergencyStopResult(stopped));
    }
}
