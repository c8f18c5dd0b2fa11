using Lunar.Dtn.Model;

namespace Lunar.Dtn.Hosting;

/// <summary>GET /api/v1/artifacts/{id}: the replicated metadata (the same fields as before) and where the content is.</summary>
public sealed record ArtifactView(
    string Id, string Name, string Version, string Sha256, long SizeBytes, string Origin, long CreatedAtMs, ArtifactLocationView Location)
{
    public static ArtifactView Of(ArtifactRecord a, ArtifactLocationView location) =>
        new(a.Id, a.Name, a.Version, a.Sha256, a.SizeBytes, a.Origin, a.CreatedAtMs, location);
}
