using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>The identity of one delta: the origin replica, its channel and its sequence number there (from 1).</summary>
[MessagePackObject]
public readonly record struct Dot([property: Key(0)] string Origin, [property: Key(1)] Channel Channel, [property: Key(2)] long Seq)
    : IComparable<Dot>
{
    [IgnoreMember] public StreamId Stream => new(Origin, Channel);

    public int CompareTo(Dot other)
    {
        var c = Stream.CompareTo(other.Stream);
        return c != 0 ? c : Seq.CompareTo(other.Seq);
    }

    public override string ToString() => $"{Stream}:{Seq}";
}
