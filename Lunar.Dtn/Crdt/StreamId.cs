using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>One origin replica's stream of deltas on one channel.</summary>
[MessagePackObject]
public readonly record struct StreamId([property: Key(0)] string Origin, [property: Key(1)] Channel Channel)
    : IComparable<StreamId>
{
    public int CompareTo(StreamId other)
    {
        var c = string.CompareOrdinal(Origin, other.Origin);
        return c != 0 ? c : Channel.CompareTo(other.Channel);
    }

    public override string ToString() => $"{Origin}/{Channel.ToString().ToLowerInvariant()}";
}
