using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>The constellation version in force, and putting a new version into a running node so it replicates.</summary>
public static class ConstellationEndpoints
{
    public static IEndpointRouteBuilder MapConstellationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/constellation", (Replica r) => Results.Ok(ConstellationView.Of(r))).Needs(Roles.Viewer)
            .WithTags("Constellation").WithName("GetConstellation")
            .WithSummary("The constellation version in force")
            .WithDescription("Version, root key (and signedBy after a root rotation), every node and approver with whether its key is revoked, " +
                "the revoked keys, and the versions this node holds as replicated records.")
            .Produces<ConstellationView>();

        app.MapPost("/api/v1/constellation", Submit).Needs(Roles.Admin)
            .WithTags("Constellation").WithName("SubmitConstellation")
            .WithSummary("Put a new constellation version into this node")
            .WithDescription("The body is a signed constellation file (as written by 'constellation add' or 'constellation revoke'). It must be the " +
                "next version after one this node knows (normally the version in force plus one), signed by that version's root key. " +
                "201 when recorded and adopted: the node writes it as a replicated record, so every peer receives it, checks the same chain and adopts it. " +
                "200 when this exact version is already known. 400 when the signature, the signer (chain) or the version is wrong. " +
                "The audit log names the authenticated principal.")
            .Accepts<Constellation>("application/json").JsonBody(BodyLimits.ConstellationFields, BodyLimits.ConstellationBodyBytes)
            .Produces<ConstellationView>(StatusCodes.Status201Created).Produces<ConstellationView>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static IResult Submit(Constellation? body, HttpContext h, Replica r)
    {
        if (body is null) return Problems.Invalid("the body must be a signed constellation (JSON)");
        if (Bounds(body) is { Count: > 0 } errors) return Problems.Invalid(errors);
        if ((body.CheckShape() ?? body.CheckSignature()) is { } bad) return Problems.Invalid($"constellation refused: {bad}");
        var outcome = r.RecordConstellation(body, CampaignEndpoints.Actor(h));
        if (outcome.Problem is not null) return Problems.Invalid($"constellation refused: {outcome.Problem}");
        return outcome.Recorded ? Results.Created("/api/v1/constellation", ConstellationView.Of(r)) : Results.Ok(ConstellationView.Of(r));
    }

    /// <summary>The constellation's lists and strings against <see cref="BodyLimits.ConstellationFields"/>, before any signature is checked.</summary>
    private static Dictionary<string, string[]> Bounds(Constellation c)
    {
        var bounds = BodyLimits.ConstellationFields;
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, value) in new[] { ("root", c.Root), ("signedBy", c.SignedBy), ("signature", c.Signature), ("ca", c.Ca) })
            BodyLimits.Check(errors, bounds, field, value);
        BodyLimits.CheckList(errors, bounds, "revokedKeys", c.RevokedKeys);
        foreach (var (field, list) in new[] { ("nodes", c.Nodes), ("approvers", c.Approvers), ("operators", c.Operators), ("agents", c.Agents) })
        {
            if (list is null) continue;
            if (BodyLimits.TooMany(field, list, bounds[field]) is { } many) { errors[field] = [many]; continue; }
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not { } p) continue;
                BodyLimits.Check(errors, bounds, $"{field}[].id", p.Id, $"{field}[{i}].id");
                BodyLimits.Check(errors, bounds, $"{field}[].role", p.Role, $"{field}[{i}].role");
            }
        }
        return errors;
    }
}
