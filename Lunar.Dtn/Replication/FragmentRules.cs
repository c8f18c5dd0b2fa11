using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Replication;

/// <summary>
/// What a signed fragment may contain, checked at the edge: records travel on their own channel, and
/// an origin may only append to its own audit log, and constellation versions must chain (<see cref="CheckConstellations"/>).
/// </summary>
public static class FragmentRules
{
    public static string? Check(StreamId stream, ReplicaState fragment)
    {
        if (CheckRecords(fragment) is { } hollow) return hollow;
        if (stream.Channel == Channel.Control && (fragment.Servers.Count > 0 || fragment.Audit.Count > 0))
            return "a control-channel fragment carries server or audit records";
        if (stream.Channel == Channel.Status &&
            (fragment.Campaigns.Count + fragment.Artifacts.Count + fragment.Approvals.Count + fragment.Revocations.Count + fragment.Constellations.Count) > 0)
            return "a status-channel fragment carries control records";
        foreach (var (key, entry) in fragment.Audit)
        {
            if (entry.Replica != stream.Origin) return $"audit entry {key} claims replica '{entry.Replica}' inside {stream.Origin}'s signed interval";
            if (key != entry.Key) return $"audit entry stored under '{key}' is really {entry.Key}";
        }
        return null;
    }

    /// <summary>
    /// What any received state (fragment or snapshot) must satisfy before it is merged: no record is
    /// missing (a nil value under a key), and every audit entry names its replica and sits under its own key.
    /// </summary>
    public static string? CheckRecords(ReplicaState state)
    {
        var hollow = NullUnder(state.Campaigns) ?? NullUnder(state.Artifacts) ?? NullUnder(state.Approvals) ??
            NullUnder(state.Revocations) ?? NullUnder(state.Servers) ?? NullUnder(state.Audit) ?? NullUnder(state.Constellations);
        if (hollow is not null) return $"record '{hollow}' is empty (nil)";
        foreach (var (key, entry) in state.Audit)
            if (entry.Replica is null || key != entry.Key) return $"audit entry stored under '{key}' is really {entry.Key}";
        foreach (var (key, c) in state.Constellations)
            if (c.Json is null || key != c.MapKey) return $"constellation record stored under '{key}' is really version {c.Version}";
        return null;
    }

    /// <summary>
    /// The constellation versions a bundle (all its intervals together) or a snapshot brings, against what the
    /// receiver holds and the version in force there: each must be already known byte for byte, or the next valid
    /// link of the chain (see <see cref="ConstellationChain"/>). Null when they may be merged, else why not.
    /// </summary>
    public static string? CheckConstellations(IEnumerable<ConstellationRecord> incoming, IReadOnlyDictionary<string, ConstellationRecord> held, Constellation? inForce) =>
        ConstellationChain.Check(incoming, held, inForce);

    private static string? NullUnder<T>(SortedDictionary<string, T> map) where T : class =>
        map.FirstOrDefault(kv => kv.Value is null).Key;
}
