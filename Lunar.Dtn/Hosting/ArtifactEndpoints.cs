using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Transfer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lunar.Dtn.Hosting;

/// <summary>Artifact metadata (a replicated record) and artifact content (held per node, verified before it is kept).</summary>
public static class ArtifactEndpoints
{
    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/artifacts", RegisterArtifact).Needs(Roles.Operator)
            .WithTags("Artifacts").WithName("RegisterArtifact")
            .WithSummary("Register artifact metadata")
            .WithDescription("Content-addressed: the id is the lower-case sha256. 201 when new; 200 when the same metadata is registered again (idempotent); " +
                "409 when the hash is already registered with other metadata. 400 naming sizeBytes when the artifact is larger than this node's free space for artifacts " +
                "(less the Artifacts:FreeSpaceReserveMB reserve), with both figures. The audit log names the authenticated principal.")
            .Accepts<ArtifactRequest>("application/json").JsonBody(BodyLimits.ArtifactFields)
            .Produces<ArtifactRecord>(StatusCodes.Status201Created).Produces<ArtifactRecord>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/v1/artifacts", ListArtifacts).Needs(Roles.Viewer)
            .WithTags("Artifacts").WithName("ListArtifacts")
            .WithSummary("Every artifact this node knows, and whether it holds the content")
            .Produces<ArtifactRecord[]>();

        app.MapGet("/api/v1/artifacts/{id}", GetArtifact).Needs(Roles.Viewer)
            .WithTags("Artifacts").WithName("GetArtifact")
            .WithSummary("One artifact's metadata and where its content is")
            .WithDescription("By its sha256 (either case). `location` says whether this node holds the verified content, which peers hold it, " +
                "and, while it crosses a link, the progress (bytes and chunks held or acknowledged, rate, ETA) of the transfer in each direction.")
            .Produces<ArtifactView>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPut("/api/v1/artifacts/{id}/content", PutContent).Needs(Roles.Operator)
            .WithTags("Artifacts").WithName("PutArtifactContent")
            .WithSummary("Upload an artifact's bytes")
            .WithDescription("The body is the raw content (application/octet-stream). It is kept only when its size and SHA-256 match the registered metadata; " +
                "a sender going past the registered size is cut off. 201 when stored, 200 when this node already held it, 400 with the reason otherwise (nothing kept). " +
                "Before reading a byte: 400 when Content-Length exceeds the registered size, 507 when the registered size exceeds the free space for artifacts (both figures named).")
            .Accepts<Stream>("application/octet-stream").RawBody(null)
            .Produces(StatusCodes.Status201Created).Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

        app.MapGet("/api/v1/artifacts/{id}/content", GetContent).ViewerOrAgent()
            .WithTags("Artifacts").WithName("GetArtifactContent")
            .WithSummary("An artifact's bytes, with range support")
            .WithDescription("Only from a node that holds the verified content (the origin, the Moon mirror); 404 says when the content is not here yet.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult RegisterArtifact(ArtifactRequest? body, HttpContext h, Replica r, ArtifactSpace space)
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
        // Its content will be uploaded here: refuse now what the mirror could never hold, rather than after the upload.
        if (space.Refusal(body.SizeBytes!.Value) is { } full) return Problems.Invalid(new Dictionary<string, string[]> { ["sizeBytes"] = [$"sizeBytes: {full}"] });
        var record = new ArtifactRecord(id, body.Name!, body.Version!, id, body.SizeBytes!.Value, r.Id, r.Time.GetUtcNow().ToUnixTimeMilliseconds());
        r.RegisterArtifact(record, CampaignEndpoints.Actor(h));
        return Results.Created($"/api/v1/artifacts/{id}", record);
    }

    private static IResult ListArtifacts(Replica r) =>
        Results.Ok(r.Read((s, _) => s.Artifacts.Values.OrderBy(a => a.CreatedAtMs).ThenBy(a => a.Id, StringComparer.Ordinal).ToArray()));

    private static IResult GetArtifact(string id, Replica r, ArtifactContentStore content, ArtifactReceiver receiver, NodeLinks links, NodeIdentity me) =>
        Find(r, id) is { } a ? Results.Ok(ArtifactView.Of(a, LocationOf(a, content, receiver, links, me))) : Problems.NotFound($"no artifact '{id}' on this node");

    private static ArtifactLocationView LocationOf(ArtifactRecord a, ArtifactContentStore content, ArtifactReceiver receiver, NodeLinks links, NodeIdentity me)
    {
        var here = content.Has(a.Sha256);
        var transfers = links.Transfers.Values.OrderBy(t => t.PeerId, StringComparer.Ordinal).ToArray();
        var peersHolding = transfers.Where(t => t.PeerHolds(a.Sha256)).Select(t => t.PeerId).ToArray();
        var sending = here ? transfers.Select(t => t.OutgoingOf(a.Sha256)).OfType<OutgoingProgress>().ToArray() : [];
        var receiving = here ? null : receiver.Progress(a.Sha256);
        var state = here ? (sending.Length > 0 ? "sending" : "held") : receiving is not null ? "receiving" : "not-here";
        var onMirror = me.Role == NodeRole.Moon ? here : peersHolding.Length > 0;
        return new ArtifactLocationView(a.Origin, state, here, onMirror, (here ? [me.Id] : Array.Empty<string>()).Concat(peersHolding).ToArray(), receiving, sending);
    }

    private static async Task<IResult> PutContent(string id, HttpRequest request, Replica r, ArtifactContentStore content, ArtifactSpace space, CancellationToken ct)
    {
        if (Find(r, id) is not { } artifact) return Problems.NotFound($"no artifact '{id}' on this node: register its metadata with POST /api/v1/artifacts first");
        if (content.Has(artifact.Sha256)) return Results.Ok();
        // Kestrel's cap is lifted for this endpoint (RawBody(null)): the import stops reading at the registered size, and
        // both checks below run before a byte of the body is read.
        if (request.ContentLength > artifact.SizeBytes)
            return Problems.Invalid($"content refused, nothing kept: Content-Length {request.ContentLength.Value} is longer than the registered {artifact.SizeBytes} bytes " +
                $"of {artifact.Name} {artifact.Version}; the body was not read");
        using var hold = space.TryHold(artifact.SizeBytes, out var full);
        if (hold is null)
            return Results.Problem(title: "Insufficient storage", statusCode: StatusCodes.Status507InsufficientStorage,
                detail: $"upload of {artifact.Name} {artifact.Version} refused before it started: {full}");
        try
        {
            await content.ImportAsync(artifact, request.Body, ct).ConfigureAwait(false);
        }
        catch (InvalidDataException bad)
        {
            return Problems.Invalid($"content refused, nothing kept: {bad.Message}");
        }
        return Results.Created($"/api/v1/artifacts/{artifact.Id}/content", null);
    }

    private static IResult GetContent(string id, Replica r, ArtifactContentStore content)
    {
        if (Find(r, id) is not { } artifact) return Problems.NotFound($"no artifact '{id}' on this node");
        return content.PathOf(artifact.Sha256) is { } path
            ? Results.File(path, "application/octet-stream", $"{artifact.Name}-{artifact.Version}", enableRangeProcessing: true)
            : Problems.NotFound($"the content of {artifact.Name} {artifact.Version} is not on this node yet");
    }

    private static ArtifactRecord? Find(Replica r, string id) => r.Read((s, _) => s.Artifacts.GetValueOrDefault(id.ToLowerInvariant()));
}
