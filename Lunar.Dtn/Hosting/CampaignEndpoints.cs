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
        var g = app.MapGroup("/api/v1/campaigns").WithTags("Campaigns");
        g.MapPost("/", Create).WithName("CreateCampaign");
        g.MapGet("/", (Replica r, QuorumPolicy p) => Results.Ok(r.Read((s, _) =>
            s.Campaigns.Keys.Select(id => CampaignView.Build(s, id, r.Trust, p)).OfType<CampaignView>().ToArray()))).WithName("ListCampaigns");
        g.MapGet("/{id}", (string id, Replica r, QuorumPolicy p) =>
            View(r, p, id) is { } v ? Results.Ok(v) : Problems.NotFound($"no campaign '{id}' on this node")).WithName("GetCampaign");
        g.MapPost("/{id}/start", (string id, HttpContext h, Replica r, QuorumPolicy p) => Control(id, CampaignControl.Run, "start", null, h, r, p)).WithName("StartCampaign");
        g.MapPost("/{id}/resume", (string id, HttpContext h, Replica r, QuorumPolicy p) => Control(id, CampaignControl.Run, "resume", null, h, r, p)).WithName("ResumeCampaign");
        g.MapPost("/{id}/pause", (string id, HttpContext h, Replica r, QuorumPolicy p) => Control(id, CampaignControl.Pause, "pause", null, h, r, p)).WithName("PauseCampaign");
        g.MapPost("/{id}/cancel", (string id, CancelRequest? body, HttpContext h, Replica r, QuorumPolicy p) =>
            Control(id, CampaignControl.Cancel, "cancel", body?.Rollback == true ? "rollback requested" : "no rollback", h, r, p)).WithName("CancelCampaign");
        return app;
    }

    /// <summary>Who is acting: the X-Operator header, else "operator@node".</summary>
    public static string Actor(HttpContext h, Replica r) =>
        h.Request.Headers.TryGetValue("X-Operator", out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : $"operator@{r.Id}";

    private static CampaignView? View(Replica r, QuorumPolicy p, string id) => r.Read((s, _) => CampaignView.Build(s, id, r.Trust, p));

    private static IResult Create(CampaignRequest? body, HttpContext h, Replica r, QuorumPolicy p)
    {
        if (body is null) return Problems.Invalid("the body must be a JSON campaign");
        var errors = body.Validate(a => r.Read((s, _) => s.Artifacts.ContainsKey(a)));
        if (errors.Count > 0) return Problems.Invalid(errors);
        var id = "camp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var actor = Actor(h, r);
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
        r.Control(id, control, Actor(h, r), reason);
        return Results.Ok(View(r, p, id));
    }
}
