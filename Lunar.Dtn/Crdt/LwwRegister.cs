using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>
/// Last-writer-wins register: the write with the greatest hybrid timestamp wins, the writer's replica id
/// breaks ties, and (for the impossible case of one writer stamping two values alike) the value's
/// own ordering does, so merge stays commutative whatever the inputs.
/// </summary>
[MessagePackObject]
public sealed record LwwRegister<T>(
    [property: Key(0)] T Value,
    [property: Key(1)] HlcTimestamp Stamp,
    [property: Key(2)] string Writer)
{
    public static LwwRegister<T>? Merge(LwwRegister<T>? a, LwwRegister<T>? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var c = a.Stamp.CompareTo(b.Stamp);
        if (c == 0) c = string.CompareOrdinal(a.Writer, b.Writer);
        if (c == 0) c = ValueOrder.Compare(a.Value, b.Value);
        return c >= 0 ? a : b;
    }
}
