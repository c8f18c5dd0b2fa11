using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using System.Security.Cryptography;
using Lunar.Dtn.Model;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>Campaigns: create, list, read and control. Every write goes through the replica, so it is replicated and audited.</summary>
public static class CampaignEndpoints
{
    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/campaigns").WithTags("Campaigns").Needs(Roles.Viewer);
        g.MapPost("/", Create).Needs(Roles.Operator).WithName("CreateCampaign")
            .WithSummary("Create a campaign")
            .WithDescription("name and artifactId (registered on this node) are required; selector (sites, clusters, tiers 1-3; empty = all), batchSize (>= 1, default 50), " +
                "concurrencyLimit (>= 1, default 30), pauseOnAnomaly (failureRate 0-1, window >= 1), tier2Windows ([{start, end}] as UTC \"HH:mm\"), approvalRequired (default true). " +
                "Bounds: name 200 characters, ids, sites and clusters 128, at most 256 sites and 256 clusters, 3 tiers, 48 windows, a 64 KiB body (README, Limits). " +
                "201 with the campaign and its Location; 400 naming every bad field in errors. The audit log names the authenticated principal (an X-Operator header naming anyone else is refused).")
            .Accepts<CampaignRequest>("application/json").JsonBody(BodyLimits.CampaignFields)
            .Produces<CampaignView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        g.MapGet("/", (Replica r, QuorumPolicy p) => Results.Ok(r.Read((s, _) =>
            s.Campaigns.Keys.Select(id => CampaignView.Build(s, id, r.Trust, p)).OfType<CampaignView>().ToArray()))).WithName("ListCampaigns")
            .WithSummary("Every campaign")
            .WithDescription("Each with its derived state (draft, ready, awaiting-approval, running, paused, cancelled, completed), progress by phase, per tier and per site, conflicts seen and quorum.")
            .Produces<CampaignView[]>();
        g.MapGet("/{id}", (string id, Replica r, QuorumPolicy p) =>
            View(r, p, id) is { } v ? Results.Ok(v) : Problems.NotFound($"no campaign '{id}' on this node")).WithName("GetCampaign")
            .WithSummary("One campaign")
            .WithDescription("Its definition, derived state, progress, conflicts seen and quorum.")
            .Produces<CampaignView>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{id}/start", (string id, HttpContext h, Replica r, QuorumPolicy p) => Control(id, CampaignControl.Run, "start", null, h, r, p)).Needs(Roles.Operator).WithName("StartCampaign")
            .WithControlDocs("Start a campaign", "Writes run: the campaign is running, or awaiting-approval while a needed quorum is missing.");
        g.MapPost("/{id}/resume", (string id, HttpContext h, Replica r, QuorumPolicy p) => Control(id, CampaignControl.Run, "resume", null, h, r, p)).Needs(Roles.Operator).WithName("ResumeCampaign")
            .WithControlDocs("Resume a paused campaign", "Writes run, superseding every control write this node has seen.");
        g.MapPost("/{id}/pause", (string id, HttpContext h, Replica r, QuorumPolicy p) => Control(id, CampaignControl.Pause, "pause", null, h, r, p)).Needs(Roles.Operator).WithName("PauseCampaign")
            .WithControlDocs("Pause a campaign", "Writes pause; concurrent with a run elsewhere, the pause wins. After completion a pause changes nothing (200).");
        g.MapPost("/{id}/cancel", (string id, CancelRequest? body, HttpContext h, Replica r, QuorumPolicy p) =>
            Control(id, CampaignControl.Cancel, "cancel", body?.Rollback == true ? "rollback requested" : "no rollback", h, r, p)).Needs(Roles.Operator).WithName("CancelCampaign")
            .Accepts<CancelRequest>(isOptional: true, "application/json").JsonBody(BodyLimits.NoFields)
            .WithControlDocs("Cancel a campaign", "Final: later controls answer 409. Body (optional): {\"rollback\": true} to roll back servers already upgraded.");
        return app;
    }

    private static RouteHandlerBuilder WithControlDocs(this RouteHandlerBuilder b, string summary, string description) =>
        b.WithSummary(summary)
            .WithDescription(description + " 404 for an unknown campaign; 409 once it is cancelled. The audit log names the authenticated principal (an X-Operator header naming anyone else is refused).")
            .Produces<CampaignView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>Who is acting: the authenticated principal of the request (never a header the caller chose).</summary>
    public static string Actor(HttpContext h) => h.Caller().Id;

    private static CampaignView? View(Replica r, QuorumPolicy p, string id) => r.Read((s, _) => CampaignView.Build(s, id, r.Trust, p));

    private static IResult Create(CampaignRequest? body, HttpContext h, Replica r, QuorumPolicy p)
    {
        if (body is null) return Problems.Invalid("the body must be a JSON campaign");
        var errors = body.Validate(a => r.Read((s, _) => s.Artifacts.ContainsKey(a)));
        if (errors.Count > 0) return Problems.Invalid(errors);
        var id = "camp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var actor = Actor(h);
        r.DefineCampaign(id, actor, ctx => new CampaignDefinition
        {
            Name = new(body.Name!, ctx.Stamp, ctx.ReplicaId),
            ArtifactId = new(body.ArtifactId!, ctx.Stamp, ctx.ReplicaId),
            Selector = new(body.ToSelector(), ctx.Stamp, ctx.ReplicaId),
            BatchSize = new(body.BatchSize ?? CampaignView.DefaultBatchSize, ctx.Stamp, ctx.ReplicaId),
            ConcurrencyLimit = new(body.ConcurrencyLimit ?? CampaignView.DefaultConcurrency, ctx.Stamp, ctx.ReplicaId),
            PauseOnAnomaly = new(body.PauseOnAnomaly is { } a ? new AnomalyPolicy(a.FailureRate!.Value, a.Window!.Value) : null, ctx.Stamp, ctx.ReplicaId),
            Tier2Windows = new((body.Tier2Windows ?? []).Select(w => new MaintenanceWindow(w.Start!, w.End!)).ToArray(), ctx.Stamp, ctx.ReplicaId),
            ApprovalRequired = new(body.ApprovalRequired ?? true, ctx.Stamp, ctx.ReplicaId),
            CreatedBy = new(actor, ctx.Stamp, ctx.ReplicaId),
        });
        return Results.Created($"/api/v1/campaigns/{id}", View(r, p, id));
    }

    private static IResult Control(string id, CampaignControl control, string verb, string? reason, HttpContext h, Replica r, QuorumPolicy p)
    {
        var view = View(r, p, id);
        if (view is null) return Problems.NotFound($"no campaign '{id}' on this node");
        if (view.State == CampaignState.Cancelled.ToName())
            return Problems.Conflict($"campaign '{id}' is cancelled; cancel is final, so it cannot {verb}");
        if (control == CampaignControl.Pause && view.State == CampaignState.Completed.ToName())
            return Results.Ok(view); // a pause after completion changes nothing
        r.Control(id, control, Actor(h), reason);
        return Results.Ok(View(r, p, id));
    }
}
