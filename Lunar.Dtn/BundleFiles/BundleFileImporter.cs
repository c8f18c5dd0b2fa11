using Lunar.Dtn.Bundles;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// Imports a bundle file into a replica in two steps. <see cref="Check"/> verifies the whole file (framing, format,
/// whole-file signature, destination, every bundle's signature and expiry) and then rehearses the import on a
/// throw-away replica built from a copy of the store, so every interval's origin signature and content is checked by
/// the replica's own code; any refusal refuses the whole file. Only then <see cref="Apply"/> hands the bundles to the
/// real replica in file order. Each bundle is merged and made durable atomically and a bundle already held is a
/// no-op, so an import interrupted (kill -9) and run again ends exactly where one clean import would.
/// </summary>
public static class BundleFileImporter
{
    /// <summary>
    /// A peer only the rehearsal replica has: with a peer to forward to, a replica checks the origin signature of every
    /// interval, including those of the file's own source (see Replica.ReceiveDeltas).
    /// </summary>
    private const string RehearsalPeer = "(bundle-file-check)";

    public static BundleFileCheck Check(ReadOnlySpan<byte> bytes, Replica replica, IReplicaStore store, Action<int, int>? progress = null)
    {
        var read = BundleFileReader.Read(bytes, replica.Trust, replica.Id, replica.Time.GetUtcNow());
        if (!read.Ok) return new BundleFileCheck(null, read.Rejection);
        var file = read.File!;
        var rehearsal = new Replica(new ReplicaOptions { Id = replica.Id, Peers = [RehearsalPeer] }, replica.Key, replica.Trust,
            new ScratchReplicaStore(store.Load()), replica.Time);
        var bundles = SyncBundles(file).ToArray();
        for (var i = 0; i < bundles.Length; i++)
        {
            var outcome = rehearsal.Receive(bundles[i].Bytes);
            if (outcome.Status == ReceiveStatus.Rejected)
                return new BundleFileCheck(null, new BundleFileRejection(BundleFileRejectionCode.BadBundle, $"section {bundles[i].Index + 1}: {outcome.Rejection!.Reason}"));
            progress?.Invoke(i + 1, bundles.Length);
        }
        // Artifact content must be exactly what the signed metadata (held, or brought by this very file) describes.
        foreach (var (index, body) in ContentSections(file))
        {
            var id = file.Manifest.Sections[index].ArtifactId;
            var artifact = id is null ? null : rehearsal.Read((s, _) => s.Artifacts.GetValueOrDefault(id));
            var problem = artifact is null ? $"artifact content for '{id}', an artifact neither this node nor the file describes"
                : body.Length != artifact.SizeBytes ? $"the content of {artifact.Name} {artifact.Version} is {body.Length} bytes, not the signed {artifact.SizeBytes}"
                : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)) != artifact.Sha256 ? $"the content of {artifact.Name} {artifact.Version} does not hash to its signed SHA-256"
                : null;
            if (problem is not null) return new BundleFileCheck(null, new BundleFileRejection(BundleFileRejectionCode.BadSection, $"section {index + 1}: {problem}"));
        }
        return new BundleFileCheck(file, null);
    }

    /// <summary>
    /// Applies a checked file's bundles to <paramref name="replica"/>, in file order, then stores the artifact content it
    /// carries in <paramref name="content"/> (without a store, content sections are skipped and counted).
    /// </summary>
    public static BundleFileImportReport Apply(BundleFile file, Replica replica, Action<int, int>? progress = null, Artifacts.ArtifactContentStore? content = null)
    {
        var bundles = SyncBundles(file).ToArray();
        int applied = 0, skipped = 0, held = 0, records = 0;
        long deltas = 0;
        var lines = new List<string>();
        for (var i = 0; i < bundles.Length; i++)
        {
            var (index, bytes) = bundles[i];
            var outcome = replica.Receive(bytes);
            var name = BundleCodec.PeekHeader(bytes)?.Id ?? $"section {index + 1}";
            switch (outcome.Status)
            {
                case ReceiveStatus.Applied:
                    applied++;
                    deltas += outcome.DeltasApplied;
                    records += outcome.RecordsChanged;
                    lines.Add($"applied {name} ({outcome.Kind}): {outcome.DeltasApplied} deltas, {outcome.RecordsChanged} records");
                    break;
                case ReceiveStatus.Held:
                    held++;
                    lines.Add($"held    {name} ({outcome.Kind}): waits for earlier deltas of the same origin");
                    break;
                case ReceiveStatus.Duplicate when outcome.PeerAckAdvanced:
                    // Nothing new merged, but what the source holds moved on: this node may now fold what it had kept for it.
                    applied++;
                    lines.Add($"applied {name} ({outcome.Kind}): noted what {outcome.Source} holds");
                    break;
                case ReceiveStatus.Duplicate:
                    skipped++;
                    lines.Add($"skipped {name} ({outcome.Kind}): already held");
                    break;
                default:
                    // Checked a moment ago; only a change made in between (a running node merging over a link) can get here.
                    throw new InvalidOperationException($"section {index + 1} was refused after the file was checked: {outcome.Rejection}");
            }
            progress?.Invoke(i + 1, bundles.Length);
        }
        var other = 0;
        foreach (var (index, bytes) in ContentSections(file))
        {
            var id = file.Manifest.Sections[index].ArtifactId!;
            if (content is null) { other++; continue; }
            if (content.Has(id)) { lines.Add($"skipped artifact {id}: already held"); continue; }
            var artifact = replica.Read((s, _) => s.Artifacts.GetValueOrDefault(id))!;
            using var stream = new MemoryStream(bytes, writable: false);
            content.ImportAsync(artifact, stream).GetAwaiter().GetResult();
            lines.Add($"stored  artifact {artifact.Name} {artifact.Version} ({bytes.Length} bytes, sha256 verified)");
        }
        // What the writer holds: our sticks back to it need not carry those artifacts.
        var writerHolds = file.Manifest.Artifacts.Where(a => a.SourceHolds || a.ContentIncluded).ToArray();
        if (content is not null && content.Known.Record(file.Manifest.Source, writerHolds.Select(a => a.Id)))
            lines.Add($"noted   {file.Manifest.Source} holds {string.Join(", ", writerHolds.Select(a => $"{a.Name} {a.Version}".Trim()))}: files for it leave that content out");
        return new BundleFileImportReport(file.Manifest.Source, file.Manifest.Destination, file.Manifest.CreatedAtMs, bundles.Length,
            applied, skipped, held, deltas, records, other, lines);
    }

    private static IEnumerable<(int Index, byte[] Bytes)> ContentSections(BundleFile file) =>
        file.Sections.Select((bytes, i) => (i, bytes)).Where(s => file.Manifest.Sections[s.i].Kind == BundleFileSectionKind.ArtifactContent);

    private static IEnumerable<(int Index, byte[] Bytes)> SyncBundles(BundleFile file) =>
        file.Sections.Select((bytes, i) => (i, bytes)).Where(s => file.Manifest.Sections[s.i].Kind == BundleFileSectionKind.SyncBundle);
}
