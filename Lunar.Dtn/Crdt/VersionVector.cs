using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>
/// Summarises the deltas a replica holds: for every stream, the highest sequence number up to which it
/// holds every delta (streams are applied contiguously, so one number per stream is exact).
/// Immutable; every operation returns a new vector.
/// </summary>
[MessagePackObject]
public sealed class VersionVector : IEquatable<VersionVector>
{
    public static readonly VersionVector Empty = new(Array.Empty<VectorEntry>());

    private readonly SortedDictionary<StreamId, long> _entries;

    [SerializationConstructor]
    public VersionVector(IReadOnlyList<VectorEntry> entries)
    {
        _entries = new SortedDictionary<StreamId, long>();
        foreach (var e in entries)
        {
            if (e.Seq < 0) throw new ArgumentOutOfRangeException(nameof(entries), "sequence numbers are never negative");
            if (e.Seq > 0) _entries[e.Stream] = Math.Max(e.Seq, Get(e.Stream));
        }
    }

    private VersionVector(SortedDictionary<StreamId, long> entries) => _entries = entries;

    [Key(0)]
    public IReadOnlyList<VectorEntry> Entries => _entries.Select(kv => new VectorEntry(kv.Key, kv.Value)).ToArray();

    [IgnoreMember] public IEnumerable<StreamId> Streams => _entries.Keys;

    [IgnoreMember] public bool IsEmpty => _entries.Count == 0;

    /// <summary>Total number of deltas summarised (sum over streams).</summary>
    [IgnoreMember] public long Total => _entries.Values.Sum();

    public long Get(StreamId stream) => _entries.TryGetValue(stream, out var v) ? v : 0;

    public long Get(string origin, Channel channel) => Get(new StreamId(origin, channel));

    public bool Contains(Dot dot) => dot.Seq <= Get(dot.Stream);

    public VersionVector With(StreamId stream, long seq)
    {
        var copy = new SortedDictionary<StreamId, long>(_entries);
        if (seq > 0) copy[stream] = seq; else copy.Remove(stream);
        return new VersionVector(copy);
    }

    /// <summary>Pointwise maximum: what either side holds.</summary>
    public VersionVector Merge(VersionVector other)
    {
        var copy = new SortedDictionary<StreamId, long>(_entries);
        foreach (var (s, v) in other._entries)
            if (v > copy.GetValueOrDefault(s)) copy[s] = v;
        return new VersionVector(copy);
    }

    /// <summary>Pointwise minimum: what both sides hold.</summary>
    public VersionVector Meet(VersionVector other)
    {
        var copy = new SortedDictionary<StreamId, long>();
        foreach (var (s, v) in _entries)
        {
            var m = Math.Min(v, other.Get(s));
            if (m > 0) copy[s] = m;
        }
        return new VersionVector(copy);
    }

    /// <summary>True when this vector holds at least everything <paramref name="other"/> holds.</summary>
    public bool Dominates(VersionVector other) => other._entries.All(kv => Get(kv.Key) >= kv.Value);

    /// <summary>How many deltas this vector holds that <paramref name="other"/> lacks.</summary>
    public long CountMissingFrom(VersionVector other) =>
        _entries.Sum(kv => Math.Max(0, kv.Value - other.Get(kv.Key)));

    public bool Equals(VersionVector? other) =>
        other is not null && _entries.Count == other._entries.Count && Dominates(other) && other.Dominates(this);

    public override bool Equals(object? obj) => Equals(obj as VersionVector);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var (s, v) in _entries) { h.Add(s); h.Add(v); }
        return h.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _entries.Select(kv => $"{kv.Key}:{kv.Value}")) + "}";
}

[MessagePackObject]
public readonly record struct VectorEntry([property: Key(0)] StreamId Stream, [property: Key(1)] long Seq);
