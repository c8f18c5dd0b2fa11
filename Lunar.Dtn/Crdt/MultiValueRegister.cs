using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>
/// Multi-value register with a causal context. A write carries the dots of every write its author had
/// seen and so supersedes exactly those; writes that did not see each other survive side by side
/// (concurrent), and the caller resolves them (for campaign control: the safer one wins).
/// Invariant: every surviving entry's dot is in the context.
/// </summary>
[MessagePackObject]
public sealed record MultiValueRegister<T>(
    [property: Key(0)] IReadOnlyList<RegisterEntry<T>> Entries,
    [property: Key(1)] IReadOnlyList<Dot> Context)
{
    public static readonly MultiValueRegister<T> Empty = new([], []);

    /// <summary>The delta of a new write by a replica that currently sees <paramref name="current"/>.</summary>
    public static MultiValueRegister<T> Write(MultiValueRegister<T>? current, Dot dot, T value, HlcTimestamp stamp)
    {
        var context = new SortedSet<Dot>(current?.Context ?? []) { dot };
        return new MultiValueRegister<T>([new RegisterEntry<T>(dot, value, stamp)], context.ToArray());
    }

    public static MultiValueRegister<T>? Merge(MultiValueRegister<T>? a, MultiValueRegister<T>? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var aContext = a.Context.ToHashSet();
        var bContext = b.Context.ToHashSet();
        var bDots = b.Entries.Select(e => e.Dot).ToHashSet();
        var entries = new SortedDictionary<Dot, RegisterEntry<T>>();
        foreach (var e in a.Entries)
            if (bDots.Contains(e.Dot) || !bContext.Contains(e.Dot)) entries[e.Dot] = e;
        foreach (var e in b.Entries)
            if (!aContext.Contains(e.Dot)) entries[e.Dot] = e;
        var context = new SortedSet<Dot>(a.Context);
        context.UnionWith(b.Context);
        return new MultiValueRegister<T>(entries.Values.ToArray(), context.ToArray());
    }

    /// <summary>True when writes that did not see each other survive with different values.</summary>
    [IgnoreMember]
    public bool IsConflicted => Entries.Select(e => e.Value).Distinct().Skip(1).Any();
}

[MessagePackObject]
public sealed record RegisterEntry<T>([property: Key(0)] Dot Dot, [property: Key(1)] T Value, [property: Key(2)] HlcTimestamp Stamp);
