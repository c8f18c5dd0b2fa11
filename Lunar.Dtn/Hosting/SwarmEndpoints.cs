using Lunar.Dtn.Swarm;
using Lunar.Dtn.Security.Tls;
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
            .WithDescription("Only for authenticated agents of servers the constellation lists: the agent's client certificate (its entry is for its own " +
                "server id), or passkey=<the agent's tracker passkey> in the announce URL for BitTorrent clients that cannot present one. Anyone else " +
                "gets a bencoded failure reason and adds no entry; each agent holds at most one entry per torrent. " +
                "Serves only the info-hashes of artifacts this node's mirror holds; anything else gets a bencoded failure reason. " +
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

    private static IResult Announce(HttpContext h, MirrorSwarm swarm, Replica replica, TimeProvider time)
    {
        var raw = h.Request.QueryString.Value ?? "";
        var (server, refused) = Announcer(h, raw, replica.Trust, time.GetUtcNow());
        var answer = refused is not null ? SwarmTracker.Failure(refused)
            : swarm.Tracker.Announce(raw, h.Connection.RemoteIpAddress ?? IPAddress.Loopback, server);
        return Results.Bytes(answer, "text/plain");
    }

    /// <summary>
    /// The server whose agent announces: the agent certificate's principal, else the agent whose tracker passkey the URL
    /// carries (not revoked, its credentials not past the constellation's term). Else why nobody.
    /// </summary>
    internal static (string? Server, string? Refused) Announcer(HttpContext h, string rawQuery, TrustStore trust, DateTimeOffset now)
    {
        if (h.CallerOrNull() is { } caller)
            return caller.Kind == PrincipalKind.Agent ? (caller.Id, null)
                : (null, $"{caller} is not an agent: only agents announce to this tracker");
        var passkeys = SwarmTracker.ParseQuery(rawQuery).GetValueOrDefault("passkey");
        if (passkeys is null || passkeys.Length == 0)
        {
            // A certificate the gate did not accept (revoked, expired, another CA's): say why, as the API's 401 would.
            if (h.Connection.ClientCertificate is { } presented && trust.Authenticate(presented, now).Problem is { } refused)
                return (null, refused);
            return (null, "no agent certificate and no passkey: announce with your agent's certificate, or add passkey=<the agent's tracker passkey> to the announce URL");
        }
        if (passkeys.Length > 256) return (null, "the passkey is not one this tracker issued");
        // Hashed once; each agent's hash compared in constant time (TrackerPasskey.Matches, without hashing 5,000 times).
        var hash = System.Text.Encoding.ASCII.GetBytes(TrackerPasskey.Hash(System.Text.Encoding.UTF8.GetString(passkeys)));
        var agent = trust.Agents.FirstOrDefault(a => a.Passkey is { Length: 64 } p &&
            System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(hash, System.Text.Encoding.ASCII.GetBytes(p.ToLowerInvariant())));
        if (agent is null) return (null, "the passkey is not one this tracker issued");
        if (agent.Tls is { } tls && trust.IsRevoked(tls))
            return (null, $"the agent of '{agent.Id}' is revoked in constellation version {trust.Version}");
        if (agent.TlsNotAfter is { } end && now > end)
            return (null, $"the credentials of agent '{agent.Id}' expired on {end:u}; renew them with 'constellation renew'");
        return (agent.Id, null);
    }

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
