using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using MessagePack;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Comparison by canonical serialised bytes, with readable JSON when two values differ.</summary>
public static class Canon
{
    public static byte[] Bytes<T>(T value) => Serialization.Serialize(value);

    public static bool Same<T>(T x, T y) => Bytes(x).AsSpan().SequenceEqual(Bytes(y));

    public static string Json<T>(T value) => MessagePackSerializer.ConvertToJson(Bytes(value), Serialization.Options);

    public static void AssertSame<T>(T expected, T actual, string law)
    {
        if (!Same(expected, actual))
            Assert.Fail($"{law} violated:\n  expected {Json(expected)}\n  actual   {Json(actual)}");
    }

    /// <summary>x joined with y, without touching either (MergeFrom mutates, so clone first).</summary>
    public static ReplicaState Merge(ReplicaState x, ReplicaState y)
    {
        var result = x.Clone();
        result.MergeFrom(y);
        return result;
    }

    public static ReplicaState Join(IEnumerable<ReplicaState> states)
    {
        var result = new ReplicaState();
        foreach (var s in states) result.MergeFrom(s);
        return result;
    }
}
