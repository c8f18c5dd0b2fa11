using Lunar.Dtn.Security;
using Lunar.Dtn.Hosting.Access;
using System.Net;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lunar.Dtn.Hosting;

/// <summary>The private swarm of a Moon or Tier 1 node: the tracker, the torrent of each mirrored artifact, the seeder's status.</summary>
public static class SwarmEndpoints
{
    /// <summary>Registers the mirror swarm (seeder and tracker) as a hosted service; false after writing every bad Swarm:* setting.</summary>
    public static bool AddMirrorSwarm(this IServiceCollection services, IConfiguration configuration, TextWriter errors)
    {
        var options = SwarmOptions.From(configuration, out var problems);
        foreach (var p in problems) errors.WriteLine($"configuration error: {p}");
        if (problems.Count > 0) return false;
        services.AddSingleton(options);
        services.AddSingleton<MirrorSwarm>();
        services.AddHostedService(sp => sp.GetRequiredService<MirrorSwarm>());
        return true;
    }

    public static IEndpointRouteBuilder MapSwarmEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/announce", Announce).AgentOrPasskey()
            .WithTags("Swarm").WithName("Announce")
            .WithSummary("BitTorrent HTTP tracker (BEP 3, compact peers per BEP 23)")
            .WithDescription("Serves only the info-hashes of artifacts this node's mirror holds; anything else gets a bencoded failure reason. " +
                "Peers of the announcer's own site (our agents add site=<Agent:Site>) are listed first; the node's own seeder is always listed.")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");

        app.MapGet("/api/v1/artifacts/{id}/torrent", Torrent).ViewerOrAgent()
            .WithTags("Swarm").WithName("GetArtifactTorrent")
            .WithSummary("The v1 metainfo (.torrent) of a mirrored artifact, announcing to this node's tracker")
            .WithDescription("Single file, private flag set, named by the artifact's sha256; 404 when the artifact is unknown or the mirror does not hold its content yet.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-bittorrent").ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/swarm", Status).Needs(Roles.Viewer)
            .WithTags("Swarm").WithName("GetSwarm")
            .WithSummary("The mirror's seeder: where it listens, its upload cap, and per torrent its peers and bytes uploaded");
        return app;
    }

    private static IResult Announce(HttpContext h, MirrorSwarm swarm) =>
        Results.Bytes(swarm.Tracker.Announce(h.Request.QueryString.Value ?? "", h.Connection.RemoteIpAddress ?? IPAddress.Loopback), "text/plain");

    private static IResult Torrent(string id, HttpContext h, Replica r, MirrorSwarm swarm, ArtifactContentStore content)
    {
        var key = id.ToLowerInvariant();
        var artifact = r.Read((s, _) => s.Artifacts.GetValueOrDefault(key));
        if (artifact is null) return Problems.NotFound($"no artifact '{id}' on this node");
        if (swarm.TorrentOf(artifact.Sha256) is not { } torrent)
            return Problems.NotFound($"the mirror does not hold the content of {artifact.Name} {artifact.Version} yet (GET /api/v1/artifacts/{key} says where it is)");
        var announce = swarm.Options.AnnounceUrl.Length > 0 ? swarm.Options.AnnounceUrl : $"{h.Request.Scheme}://{h.Request.Host}/announce";
        return Results.File(torrent.Meta.WithAnnounce(announce).ToTorrentFile(), "application/x-bittorrent", $"{artifact.Name}-{artifact.Version}.torrent");
    }

    private static IResult Status(MirrorSwarm swarm) => Results.Ok(new
    {
        peerEndpoint = swarm.PeerEndpoint?.ToString(),
        uploadCapMbps = swarm.Options.MirrorUploadMbps,
        superSeed = swarm.Options.SuperSeed,
        uploadedBytes = swarm.BytesUploaded,
        torrents = swarm.Torrents.Select(t => new
        {
            artifactId = t.Meta.Name,
            infoHash = t.Meta.InfoHashHex,
            sizeBytes = t.Meta.Length,
            pieceLength = t.Meta.PieceLength,
            pieces = t.Meta.PieceCount,
            peers = t.PeerCount,
            uploadedBytes = t.BytesUploaded,
        }).OrderBy(t => t.artifactId, StringComparer.Ordinal).ToArray(),
    });
}
