using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.BundleFiles;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// USB bundle files through a running node, so operators never stop the Moon to make a stick:
/// <c>GET /api/v1/bundles/export?for=NODE&amp;since=VECTOR</c> answers the file's bytes;
/// <c>POST /api/v1/bundles/import</c> takes them and answers what was applied and skipped, or a problem saying why
/// the file was refused (then nothing was applied).
/// </summary>
public static class BundleFileEndpoints
{
    public static IEndpointRouteBuilder MapBundleFileEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/bundles").WithTags("Bundle files").Needs(Roles.Admin);
        g.MapGet("/export", Export).WithName("ExportBundleFile")
            .WithSummary("A USB bundle file for a node (what it lacks by its last acknowledged vector, or everything since 'since')")
            .WithDescription("for: the destination node id (absent: any node, '*'); since: origin/channel:seq,... (absent: what the destination last acknowledged). " +
                "200 with the file (" + BundleFileVerbs.MediaType + "); 400 for a bad 'for' or 'since'.")
            .Produces(StatusCodes.Status200OK, contentType: BundleFileVerbs.MediaType).ProducesProblem(StatusCodes.Status400BadRequest);
        g.MapPost("/import", Import).WithName("ImportBundleFile")
            .WithSummary("Import a USB bundle file: checked whole, then applied idempotently")
            .WithDescription("The body is the file's bytes. 200 with bundles applied, skipped (already held) and held; 400 with the reason when anything " +
                "in the file is invalid (nothing applied).")
            .Accepts<byte[]>(BundleFileVerbs.MediaType, "application/octet-stream")
            .Produces<BundleFileImportReport>().ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static IResult Export([FromQuery(Name = "for")] string? destination, string? since, HttpContext h)
    {
        var runtime = h.RequestServices.GetRequiredService<NodeRuntime>();
        var target = string.IsNullOrWhiteSpace(destination) ? BundleHeader.Broadcast : destination;
        if (BundleFileExporter.CheckDestination(runtime.Replica, target) is { } bad) return Problems.Invalid($"for: {bad}");
        VersionVector? sinceVector = null;
        if (since is not null)
        {
            if (!VersionVectorText.TryParse(since, out var v, out var problem)) return Problems.Invalid($"since: {problem}");
            sinceVector = v;
        }
        var file = BundleFileExporter.Export(runtime.Replica, target, sinceVector, h.RequestServices.GetRequiredService<Artifacts.ArtifactContentStore>());
        var bytes = file.Seal(runtime.Key);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(file.Manifest.CreatedAtMs).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Results.File(bytes, BundleFileVerbs.MediaType, $"{runtime.Options.Id}-to-{(target == BundleHeader.Broadcast ? "all" : target)}-{at}{BundleFileFormat.Extension}");
    }

    private static async Task<IResult> Import([FromServices] NodeRuntime runtime, HttpContext h)
    {
        if (h.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = BundleFileFormat.MaxFileLength;
        using var buffer = new MemoryStream();
        await h.Request.Body.CopyToAsync(buffer, h.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        var check = BundleFileImporter.Check(bytes, runtime.Replica, runtime.Store);
        if (!check.Ok)
            return Results.Problem(title: "Bundle file refused", detail: $"{check.Rejection!.Reason}; nothing was applied", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["code"] = check.Rejection.Code.ToString() });
        try { return Results.Ok(BundleFileImporter.Apply(check.File!, runtime.Replica, content: h.RequestServices.GetRequiredService<Artifacts.ArtifactContentStore>())); }
        catch (InvalidOperationException ex) { return Problems.Conflict(ex.Message); }
    }
}
