using System.Text;
using Lunar.Dtn.Model;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Replication;

/// <summary>
/// The chain rule for replicated constellation versions. A replica's trust anchor is the signed constellation
/// file it was started with; from there, version N+1 counts only if it is signed by the root key of version N
/// (a root rotation is a version naming a new root, signed by the old one).
/// </summary>
/// <remarks>
/// Receiving: every constellation record in a bundle (or snapshot) must be either a version the receiver already
/// knows, byte for byte (a re-delivery: harmless), or a new link — higher than the version in force, its
/// predecessor known (in force, held, or earlier in the same bundle) and its signature by that predecessor's root.
/// Anything else refuses the whole bundle. Adopting: after a merge the replica walks from the version in force
/// through the held records, one consecutive valid link at a time, and adopts the last; it never goes back.
/// </remarks>
public static class ConstellationChain
{
    /// <summary>Null when every record in <paramref name="incoming"/> may be merged, else why not.</summary>
    public static string? Check(IEnumerable<ConstellationRecord> incoming, IReadOnlyDictionary<string, ConstellationRecord> held, Constellation? inForce)
    {
        var accepted = new Dictionary<int, Constellation>();
        foreach (var record in incoming.OrderBy(r => r.Version))
        {
            var parsed = Parse(record, out var problem);
            if (parsed is null) return problem;
            if (Known(record.Version, held, inForce, accepted) is { } known)
            {
                if (!known.SameAs(parsed))
                    return $"constellation version {record.Version} differs from the version {record.Version} already known here (two different versions signed under one number)";
                continue;
            }
            if (inForce is null)
                return $"constellation version {record.Version} refused: this replica's trust has no root key (it was not made from a signed constellation)";
            if (record.Version <= inForce.Version)
                return $"constellation version {record.Version} is not newer than version {inForce.Version} in force here";
            var previous = Known(record.Version - 1, held, inForce, accepted);
            if (previous is null)
                return $"constellation version {record.Version} cannot be checked yet: version {record.Version - 1}, whose root key must sign it, is not held here";
            if (parsed.CheckSuccessorOf(previous) is { } broken) return broken;
            accepted[record.Version] = parsed;
        }
        return null;
    }

    /// <summary>The highest version reachable from <paramref name="inForce"/> through consecutive valid held records (or inForce itself).</summary>
    public static Constellation? Advance(Constellation? inForce, IReadOnlyDictionary<string, ConstellationRecord> held)
    {
        var current = inForce;
        while (current is not null && held.TryGetValue(ConstellationRecord.KeyFor(current.Version + 1), out var next))
        {
            var parsed = Parse(next, out _);
            if (parsed is null || parsed.CheckSuccessorOf(current) is not null) break;
            current = parsed;
        }
        return current;
    }

    /// <summary>The record a replica stores for <paramref name="c"/>: its canonical JSON, so equal versions are equal bytes.</summary>
    public static ConstellationRecord ToRecord(Constellation c) => new(c.Version, c.ToJsonBytes());

    /// <summary>The constellation inside <paramref name="record"/>, checked for shape and intact signature; null and why not.</summary>
    public static Constellation? Parse(ConstellationRecord record, out string? problem)
    {
        Constellation c;
        try { c = Constellation.Parse(Encoding.UTF8.GetString(record.Json ?? [])); }
        catch (FormatException ex)
        {
            problem = $"constellation version {record.Version}: {ex.Message}";
            return null;
        }
        if (c.Version != record.Version)
        {
            problem = $"the record for constellation version {record.Version} holds version {c.Version}";
            return null;
        }
        problem = null;
        return c;
    }

    private static Constellation? Known(int version, IReadOnlyDictionary<string, ConstellationRecord> held, Constellation? inForce,
        Dictionary<int, Constellation> accepted)
    {
        if (inForce?.Version == version) return inForce;
        if (accepted.TryGetValue(version, out var c)) return c;
        // Held records passed this same check when they were merged.
        return held.TryGetValue(ConstellationRecord.KeyFor(version), out var r) ? Parse(r, out _) : null;
    }
}
