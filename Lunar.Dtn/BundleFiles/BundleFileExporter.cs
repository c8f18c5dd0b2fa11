using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// Makes a bundle file from a replica: the bundles that bring the destination from what it is known to hold up to
/// this replica (control first, then status; others' intervals forwarded unchanged with their origins' signatures; a
/// snapshot when the deltas it lacks were folded away), always followed by an acknowledgement of what this replica
/// holds. Reads the replica only: nothing is written, so a running node exports without stopping.
/// </summary>
public static class BundleFileExporter
{
    /// <summary>
    /// What the file assumes the destination holds: <paramref name="since"/> when given, else what
    /// <paramref name="destination"/> last acknowledged (by a file it sent back, or over a link), else nothing.
    /// </summary>
    public static VersionVector AssumedHeld(Replica replica, string destination, VersionVector? since) =>
        since ?? (destination == BundleHeader.Broadcast ? VersionVector.Empty : replica.AckedBy(destination));

    /// <summary>Null when <paramref name="destination"/> may receive a file from <paramref name="replica"/>, else why not (a typo must not make a stick nobody can read).</summary>
    public static string? CheckDestination(Replica replica, string destination)
    {
        if (destination == BundleHeader.Broadcast) return null;
        if (destination == replica.Id) return $"'{destination}' is this node itself";
        var key = replica.Trust.NodeKey(destination);
        return key.Ok ? null : $"'{destination}' cannot receive it: {key.Problem}";
    }

    /// <summary>
    /// The file for <paramref name="destination"/>. With <paramref name="content"/>, the content of every artifact the
    /// campaigns need and this node holds travels too (an air-gapped node has no other way to get it), except to the
    /// artifact's origin, which has it by definition, and to a node whose own bundle file said it holds it.
    /// </summary>
    public static BundleFile Export(Replica replica, string destination, VersionVector? since, Artifacts.ArtifactContentStore? content = null)
    {
        if (destination == replica.Id) throw new ArgumentException($"a bundle file from {replica.Id} cannot be addressed to itself", nameof(destination));
        var assumed = AssumedHeld(replica, destination, since);
        var batch = replica.BuildBundles(destination, assumed);
        var bundles = batch.Bundles.Append(replica.BuildAck(destination)).ToArray();
        var sections = bundles.Select(b => new BundleFileSection(BundleFileSectionKind.SyncBundle, b.Bytes.Length, BundleFile.Hash(b.Bytes),
            b.Kind, b.Deltas, BundlePeek.Intervals(b.Bytes))).ToArray();
        var (needed, has) = replica.Read((state, vector) => (NeededArtifacts(state), vector));
        var bodies = bundles.Select(b => b.Bytes).ToList();
        var artifacts = new List<BundleFileArtifact>();
        foreach (var (a, origin) in needed)
        {
            // Not to the artifact's origin, nor to a node whose own file said it holds the artifact.
            var holds = content?.Has(a.Id) == true;
            var path = holds && origin != destination && !content!.Known.Holds(destination, a.Id) ? content.PathOf(a.Id) : null;
            artifacts.Add(a with { ContentIncluded = path is not null, SourceHolds = holds });
            if (path is null) continue;
            var bytes = File.ReadAllBytes(path);
            sections = [.. sections, new BundleFileSection(BundleFileSectionKind.ArtifactContent, bytes.Length, BundleFile.Hash(bytes), null, 0, [], a.Id)];
            bodies.Add(bytes);
        }
        var manifest = new BundleFileManifest(replica.Id, destination, replica.Time.GetUtcNow().ToUnixTimeMilliseconds(), replica.Now().Value,
            has, assumed, sections, artifacts);
        return new BundleFile(manifest, bodies);
    }

    /// <summary>The artifacts the replica's campaigns name, with their metadata and origin node.</summary>
    private static IReadOnlyList<(BundleFileArtifact Artifact, string? Origin)> NeededArtifacts(ReplicaState state) =>
        state.Campaigns.Values
            .Select(c => c.Definition?.ArtifactId?.Value)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(id => state.Artifacts.GetValueOrDefault(id) is { } a
                ? (new BundleFileArtifact(a.Id, a.Name, a.Version, a.SizeBytes, false), a.Origin)
                : (new BundleFileArtifact(id, "", "", 0, false), (string?)null))
            .ToArray();
}
