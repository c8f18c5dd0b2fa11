using System.Security.Cryptography;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using MessagePack;

namespace Lunar.Dtn.Replication;

/// <summary>
/// The whole replicated state, and equally a delta, a joined delta interval or a snapshot: all four are
/// states of the same join-semilattice, merged by the same function. Every map is ordered by ordinal key,
/// so two replicas holding the same records serialise to the same bytes.
/// </summary>
[MessagePackObject]
public sealed class ReplicaState
{
    public ReplicaState() { }

    [SerializationConstructor]
    public ReplicaState(
        IDictionary<string, CampaignRecord>? campaigns,
        IDictionary<string, ArtifactRecord>? artifacts,
        IDictionary<string, ApprovalRecord>? approvals,
        IDictionary<string, ApprovalRevocation>? revocations,
        IDictionary<string, ServerRecord>? servers,
        IDictionary<string, AuditEntry>? audit,
        IDictionary<string, ConstellationRecord>? constellations = null)
    {
        Copy(campaigns, Campaigns);
        Copy(artifacts, Artifacts);
        Copy(approvals, Approvals);
        Copy(revocations, Revocations);
        Copy(servers, Servers);
        Copy(audit, Audit);
        Copy(constellations, Constellations);
    }

    [Key(0)] public SortedDictionary<string, CampaignRecord> Campaigns { get; } = new(StringComparer.Ordinal);
    [Key(1)] public SortedDictionary<string, ArtifactRecord> Artifacts { get; } = new(StringComparer.Ordinal);
    [Key(2)] public SortedDictionary<string, ApprovalRecord> Approvals { get; } = new(StringComparer.Ordinal);
    [Key(3)] public SortedDictionary<string, ApprovalRevocation> Revocations { get; } = new(StringComparer.Ordinal);
    [Key(4)] public SortedDictionary<string, ServerRecord> Servers { get; } = new(StringComparer.Ordinal);
    /// <summary>Audit entries of every replica, keyed "replica:index".</summary>
    [Key(5)] public SortedDictionary<string, AuditEntry> Audit { get; } = new(StringComparer.Ordinal);
    /// <summary>Signed constellation versions, keyed by the zero-padded version (a grow-only map of immutable records).</summary>
    [Key(6)] public SortedDictionary<string, ConstellationRecord> Constellations { get; } = new(StringComparer.Ordinal);

    [IgnoreMember]
    public bool IsEmpty => Campaigns.Count + Artifacts.Count + Approvals.Count + Revocations.Count + Servers.Count + Audit.Count + Constellations.Count == 0;

    [IgnoreMember]
    public int RecordCount => Campaigns.Count + Artifacts.Count + Approvals.Count + Revocations.Count + Servers.Count + Audit.Count + Constellations.Count;

    /// <summary>
    /// Joins <paramref name="other"/> into this state. Records are immutable, so <paramref name="other"/>
    /// is never aliased mutably. Reports every key that changed and every control conflict that appeared.
    /// </summary>
    public MergeReport MergeFrom(ReplicaState other)
    {
        var report = new MergeReport();
        foreach (var (id, incoming) in other.Campaigns)
        {
            Campaigns.TryGetValue(id, out var current);
            var merged = CampaignRecord.Merge(current, incoming);
            if (Changed(current, merged))
            {
                Campaigns[id] = merged;
                report.Campaigns.Add(id);
                if (merged.Control is { IsConflicted: true } c &&
                    !(current?.Control?.Entries.Select(e => e.Dot).SequenceEqual(c.Entries.Select(e => e.Dot)) ?? false))
                    report.Conflicts.Add(new ControlConflict(id, c.Entries.ToArray()));
            }
        }
        MergeImmutable(Artifacts, other.Artifacts, report.Artifacts);
        MergeImmutable(Approvals, other.Approvals, report.Approvals);
        MergeImmutable(Revocations, other.Revocations, report.Revocations);
        MergeImmutable(Audit, other.Audit, report.Audit);
        MergeImmutable(Constellations, other.Constellations, report.Constellations);
        foreach (var (id, incoming) in other.Servers)
        {
            Servers.TryGetValue(id, out var current);
            var merged = ServerRecord.Merge(current, incoming);
            // Server records compare by value (see ServerRecord), so no serialisation is needed to tell.
            if (current is null || !current.Equals(merged)) { Servers[id] = merged; report.Servers.Add(id); }
        }
        return report;
    }

    /// <summary>A copy that shares the immutable records.</summary>
    public ReplicaState Clone() => new(Campaigns, Artifacts, Approvals, Revocations, Servers, Audit, Constellations);

    /// <summary>The canonical bytes of this state (ordinal key order, fixed field order).</summary>
    public byte[] ToBytes() => Serialization.Serialize(this);

    /// <summary>SHA-256 of the canonical bytes: two replicas are identical exactly when these are equal.</summary>
    public string Fingerprint() => Convert.ToHexStringLower(SHA256.HashData(ToBytes()));

    private static void MergeImmutable<T>(SortedDictionary<string, T> into, SortedDictionary<string, T> from, List<string> changed)
        where T : class
    {
        foreach (var (id, incoming) in from)
        {
            if (into.TryGetValue(id, out var current))
            {
                if (ReferenceEquals(current, incoming) || ValueOrder.Compare(current, incoming) <= 0) continue;
            }
            into[id] = incoming;
            changed.Add(id);
        }
    }

    private static bool Changed<T>(T? current, T merged) where T : class =>
        current is null || (!ReferenceEquals(current, merged) && !Serialization.Serialize(current).AsSpan().SequenceEqual(Serialization.Serialize(merged)));

    private static void Copy<T>(IDictionary<string, T>? from, SortedDictionary<string, T> into)
    {
        if (from is null) return;
        foreach (var (k, v) in from) into[k] = v;
    }
}
