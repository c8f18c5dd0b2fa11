namespace Lunar.Dtn.Replication;

/// <summary>What one merge changed: the keys to persist, and control conflicts to write to the audit log.</summary>
public sealed class MergeReport
{
    public List<string> Campaigns { get; } = [];
    public List<string> Artifacts { get; } = [];
    public List<string> Approvals { get; } = [];
    public List<string> Revocations { get; } = [];
    public List<string> Servers { get; } = [];
    public List<string> Audit { get; } = [];
    public List<string> Constellations { get; } = [];
    public List<ControlConflict> Conflicts { get; } = [];

    public bool Any => Campaigns.Count + Artifacts.Count + Approvals.Count + Revocations.Count + Servers.Count + Audit.Count + Constellations.Count > 0;

    public void Add(MergeReport other)
    {
        Campaigns.AddRange(other.Campaigns);
        Artifacts.AddRange(other.Artifacts);
        Approvals.AddRange(other.Approvals);
        Revocations.AddRange(other.Revocations);
        Servers.AddRange(other.Servers);
        Audit.AddRange(other.Audit);
        Constellations.AddRange(other.Constellations);
        Conflicts.AddRange(other.Conflicts);
    }
}
