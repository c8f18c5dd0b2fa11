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
                "in the file is invalid (nothing applied). The body is streamed to a temporary file in the data folder and checked from there " +
                "(never buffered in memory as it arrives); one import at a time per node (429 while another runs); 413 over 2 GiB; " +
                "507 when the data folder lacks the space (both figures named).")
            .Accepts<byte[]>(BundleFileVerbs.MediaType, "application/octet-stream").RawBody(BundleFileFormat.MaxFileLength)
            .Produces<BundleFileImportReport>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status507InsufficientStorage);
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

    /// <summary>One import at a time per node: each is checked whole, so two at once would hold two files' sections.</summary>
    public sealed class ImportSlot
    {
        internal SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private static async Task<IResult> Import([FromServices] NodeRuntime runtime, [FromServices] ImportSlot slot, [FromServices] ArtifactSpace space, HttpContext h)
    {
        var ct = h.RequestAborted;
        var declared = h.Request.ContentLength;
        if (declared > BundleFileFormat.MaxFileLength)
            return Results.Problem(title: "Request body too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"the file is {BodyLimits.N(declared.Value)} bytes; a bundle file is at most {BodyLimits.N(BundleFileFormat.MaxFileLength)}");
        if (!await slot.Gate.WaitAsync(0, ct).ConfigureAwait(false))
            return Results.Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests,
                detail: "another bundle file is being imported on this node; imports run one at a time (each file is checked whole): retry when it has finished",
                extensions: new Dictionary<string, object?> { ["limit"] = 1 });
        try
        {
            // The temporary copy is on disk: it must fit (with the content it carries) before a byte is read.
            string? full = null;
            using var hold = declared is { } n ? space.TryHold(n, out full, "the bundle file") : null;
            if (declared is not null && hold is null)
                return Results.Problem(title: "Insufficient storage", statusCode: StatusCodes.Status507InsufficientStorage,
                    detail: $"import refused before it started: {full}");
            var dir = Path.Combine(runtime.Options.DataDir, "tmp");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"import-{Guid.NewGuid():N}{BundleFileFormat.Extension}");
            BundleFileCheck check;
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0,
                Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 0600 from the start
            await using (var file = new FileStream(path, options))
            {
                // Streamed to disk in 80 KiB pieces (Kestrel stops it past 2 GiB), then read back once, at its exact length, to be
                // checked: one copy of the file in memory (besides the sections the check keeps), never the doubling buffers of a
                // growing MemoryStream plus its ToArray.
                await h.Request.Body.CopyToAsync(file, 81920, ct).ConfigureAwait(false);
                var bytes = GC.AllocateUninitializedArray<byte>(checked((int)file.Length));
                file.Position = 0;
                await file.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
                check = BundleFileImporter.Check(bytes, runtime.Replica, runtime.Store);
            }
            if (!check.Ok)
                return Results.Problem(title: "Bundle file refused", detail: $"{check.Rejection!.Reason}; nothing was applied", statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["code"] = check.Rejection.Code.ToString() });
            try { return Results.Ok(BundleFileImporter.Apply(check.File!, runtime.Replica, content: h.RequestServices.GetRequiredService<Artifacts.ArtifactContentStore>())); }
            catch (InvalidOperationException ex) { return Problems.Conflict(ex.Message); }
        }
        finally
        {
            slot.Gate.Release();
        }
    }
}
