namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// What an import did (or, for a refused file, nothing and why): bundles applied (something new merged and made
/// durable), skipped (everything in them already held), held (waiting for deltas the file does not bring), the deltas
/// and records they changed, and sections skipped (reserved kinds this node does not read yet).
/// </summary>
public sealed record BundleFileImportReport(
    string Source,
    string Destination,
    long CreatedAtMs,
    int Bundles,
    int Applied,
    int Skipped,
    int Held,
    long DeltasApplied,
    int RecordsChanged,
    int SectionsSkipped,
    IReadOnlyList<string> Lines)
{
    /// <summary>One line for an operator.</summary>
    public string Summary =>
        Applied == 0 && Held == 0
            ? $"nothing new from {Source}: all {Bundles} bundles were already held (skipped {Skipped}); nothing changed"
            : $"applied {Applied} of {Bundles} bundles from {Source} ({DeltasApplied} deltas, {RecordsChanged} records); skipped {Skipped} already held" +
              (Held > 0 ? $"; {Held} held back, waiting for earlier deltas this file does not bring" : "") +
              (SectionsSkipped > 0 ? $"; {SectionsSkipped} artifact content sections skipped (no artifact store here)" : "");
}
