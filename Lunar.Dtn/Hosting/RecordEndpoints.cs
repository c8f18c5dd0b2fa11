using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>Servers, approvals, artifacts, the audit log and the emergency stop.</summary>
public static class RecordEndpoints
{
    public static IEndpointRouteBuilder MapRecordEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/servers/{id}/state", (string id, Replica r) => r.Read((s, _) =>
            s.Servers.TryGetValue(id, out var server) ? Results.Ok(ServerView.Of(id, server, s)) : Problems.NotFound($"no server '{id}' on this node")))
            .WithTags("Servers").WithName("GetServerState");

        app.MapPost("/api/v1/approvals/{campaignId}", (string campaignId, ApprovalRequest? body, Replica r, QuorumPolicy p) =>
        {
            if (body is null) return Problems.Invalid("the body must be a signed approval");
            var record = body.ToRecord(campaignId, out var problem);
            if (record is null) return Problems.Invalid(problem!);
            var check = r.Read((s, _) =>
            {
                if (!s.Campaigns.TryGetValue(campaignId, out var c) || c.Definition is null) return $"no campaign '{campaignId}' on this node";
                var revoked = s.Revocations.Values.Select(v => v.ApprovalId).ToHashSet(StringComparer.Ordinal);
                var reason = ApprovalQuorum.Check(record with { Decision = ApprovalDecision.Approve }, c.Definition.ContentHash(campaignId), revoked, r.Trust);
                return reason is null ? null : $"approval by '{record.ApproverId}' refused: {reason}";
            });
            if (check is not null) return check.StartsWith("no campaign", StringComparison.Ordinal) ? Problems.NotFound(check) : Problems.Invalid(check);
            r.AddApproval(record);
            return Results.Created($"/api/v1/approvals/{campaignId}", ApprovalsView.Of(r, campaignId, p));
        }).WithTags("Approvals").WithName("SubmitApproval");

        app.MapGet("/api/v1/approvals/{campaignId}", (string campaignId, Replica r, QuorumPolicy p) =>
            r.Read((s, _) => s.Campaigns.ContainsKey(campaignId)) ? Results.Ok(ApprovalsView.Of(r, campaignId, p)) : Problems.NotFound($"no campaign '{campaignId}' on this node"))
            .WithTags("Approvals").WithName("GetApprovals");

        app.MapPost("/api/v1/artifacts", (ArtifactRequest? body, Replica r) =>
        {
            if (body is null) return Problems.Invalid("the body must be artifact metadata");
            var errors = body.Validate();
            if (errors.Count > 0) return Problems.Invalid(errors);
            var id = body.Sha256!.ToLowerInvariant();
            var existing = r.Read((s, _) => s.Artifacts.GetValueOrDefault(id));
            if (existing is not null)
                return existing.Name == body.Name && existing.Version == body.Version && existing.SizeBytes == body.SizeBytes
                    ? Results.Ok(existing)
                    : Problems.Conflict($"sha256 {id} is already registered as {existing.Name} {existing.Version} ({existing.SizeBytes} bytes); content-addressed records are immutable");
            var record = new ArtifactRecord(id, body.Name!, body.Version!, id, body.SizeBytes!.Value, r.Id, r.Time.GetUtcNow().ToUnixTimeMilliseconds());
            r.RegisterArtifact(record, $"operator@{r.Id}");
            return Results.Created($"/api/v1/artifacts/{id}", record);
        }).WithTags("Artifacts").WithName("RegisterArtifact");

        app.MapGet("/api/v1/artifacts/{id}", (string id, Replica r) =>
            r.Read((s, _) => s.Artifacts.GetValueOrDefault(id.ToLowerInvariant())) is { } a ? Results.Ok(a) : Problems.NotFound($"no artifact '{id}' on this node"))
            .WithTags("Artifacts").WithName("GetArtifact");

        app.MapGet("/api/v1/audit", (string? campaign, string? actor, string? action, string? replica, int? limit, Replica r) =>
            Results.Ok(r.Read((s, _) => s.Audit.Values
                .Where(a => campaign is null || a.Details.Contains(campaign, StringComparison.Ordinal))
                .Where(a => actor is null || a.Actor == actor)
                .Where(a => action is null || a.Action == action)
                .Where(a => replica is null || a.Replica == replica)
                .OrderBy(a => a.Stamp).ThenBy(a => a.Replica, StringComparer.Ordinal).ThenBy(a => a.Index)
                .TakeLast(Math.Clamp(limit ?? 1000, 1, 100_000))
                .Select(AuditView.Of).ToArray())))
            .WithTags("Audit").WithName("GetAudit");

        app.MapPost("/api/v1/emergency-stop", (HttpContext h, Replica r, NodeIdentity me, QuorumPolicy p) =>
        {
            if (me.Role == NodeRole.Earth)
                return Problems.Conflict("the emergency stop acts where servers are executed: call it on the Moon or a Tier 1 node (Earth's pause reaches them one light time later)");
            var actor = CampaignEndpoints.Actor(h, r);
            var stopped = new List<string>();
            foreach (var id in r.Read((s, _) => s.Campaigns.Keys.ToArray()))
            {
                var view = r.Read((s, _) => CampaignView.Build(s, id, r.Trust, p));
                if (view is null || view.State is "cancelled" or "completed" or "paused") continue;
                r.Control(id, CampaignControl.Pause, actor, "emergency stop");
                stopped.Add(id);
            }
            return Results.Ok(new { stopped });
        }).WithTags("Execution").WithName("EmergencyStop");
        return app;
    }
}
