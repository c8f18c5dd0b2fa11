using MessagePack;

namespace Lunar.Dtn.Crdt;

/// <summary>
/// A total order over any serialisable value, by its canonical MessagePack bytes. Only used to break
/// ties that well-behaved writers never create, so that merges are deterministic even for bad input.
/// </summary>
public static class ValueOrder
{
    public static int Compare<T>(T a, T b)
    {
        if (ReferenceEquals(a, b)) return 0; // not Equals: 0.0 equals -0.0, yet their bytes differ
        var x = MessagePackSerializer.Serialize(a, Serialization.Options);
        var y = MessagePackSerializer.Serialize(b, Serialization.Options);
        return x.AsSpan().SequenceCompareTo(y);
    }
}
