using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lunar.Dtn.Hosting.Dashboard;

/// <summary>
/// The operators' dashboard: static HTML, CSS and JavaScript modules shipped in the build output
/// (<c>AppContext.BaseDirectory/wwwroot/dashboard</c>, no build step) served at <c>/</c>, the snapshot it starts
/// from (GET /api/v1/dashboard) and its live feed (GET /api/v1/events, server-sent events).
/// Every action it offers calls the ordinary REST API.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    };

    /// <summary>Where the dashboard's files are: beside the executable, whatever the working directory.</summary>
    public static string AssetsDir => Path.Combine(AppContext.BaseDirectory, "wwwroot", "dashboard");

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet("/", () => Asset("index.html")).Needs(Roles.Viewer).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (string file) => Asset(file)).Needs(Roles.Viewer).ExcludeFromDescription();

        app.MapGet("/api/v1/dashboard", (Replica r, NodeIdentity me, NodeLinks links, QuorumPolicy p) => Results.Ok(DashboardSnapshot.Of(r, me, links, p))).Needs(Roles.Viewer)
            .WithTags("Dashboard").WithName("GetDashboard")
            .WithSummary("Everything the dashboard shows, at once")
            .WithDescription("Campaigns (state, progress by phase, tier and site, quorum, conflicts), approvals of campaigns that need a quorum (who signed, what is missing), " +
                "servers needing attention (failed, rolling back, rolled back, timed out; the newest 200 and the total), resolved control conflicts, artifacts, " +
                "and the sync state (the same object as GET /api/v1/sync). revision changes whenever the replica does.")
            .Produces<DashboardSnapshot>();

        app.MapGet("/api/v1/events", StreamEvents)
            .Needs(Roles.Viewer).WithTags("Dashboard").WithName("GetEvents")
            .WithSummary("Live dashboard feed (server-sent events)")
            .WithDescription("text/event-stream of events named snapshot, each carrying the JSON of GET /api/v1/dashboard: one at once, one after every change " +
                "of the replica (at most one per 0.5 s) and a heartbeat every 2 s, so that the time since each peer was last heard from keeps counting. " +
                "Each snapshot is built and serialised once for all clients. At most Dashboard:MaxFeedClientsPerPrincipal (default 8) clients per principal and " +
                "Dashboard:MaxFeedClients (default 256) in total: over either, 429 naming the cap.")
            .Produces<DashboardSnapshot>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task StreamEvents(HttpContext h, DashboardEvents events)
    {
        using var slot = events.Slots.TryTake(h.Caller().Id, out var refusal);
        if (slot is null)
        {
            await refusal!.ExecuteAsync(h).ConfigureAwait(false);
            return;
        }
        var ct = h.RequestAborted;
        h.Response.ContentType = "text/event-stream";
        h.Response.Headers.CacheControl = "no-cache";
        h.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await h.Response.StartAsync(ct).ConfigureAwait(false);
            await foreach (var frame in events.FramesAsync(ct).ConfigureAwait(false))
            {
                await h.Response.Body.WriteAsync(frame.Event, ct).ConfigureAwait(false);
                await h.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { } // the client went away
        catch (IOException) { }
    }

    private static IResult Asset(string file)
    {
        // Only files that are really in the folder, by their bare name: nothing outside it can be named.
        if (file.Contains('/') || file.Contains('\\') || file.StartsWith('.') || !ContentTypes.TryGetValue(Path.GetExtension(file), out var type))
            return Problems.NotFound($"no dashboard file '{file}'");
        var path = Path.Combine(AssetsDir, file);
        if (!File.Exists(path))
            return Problems.NotFound(file == "index.html" ? $"the dashboard is not installed: {path} is missing (it ships in the build output)" : $"no dashboard file '{file}'");
        return Results.File(path, type);
    }
}
