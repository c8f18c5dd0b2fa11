using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;
using MessagePack;

namespace Lunar.Dtn.Replication;

/// <summary>
/// A run of one origin's deltas on one stream, (From, To], joined into one state fragment and signed by
/// the origin. It is forwarded unchanged, so any replica can check the origin's signature, however many
/// hops it took (Earth's approval reaches a Tier 1 node through the Moon and is verified as Earth's).
/// </summary>
[MessagePackObject]
public sealed record SignedInterval(
    [property: Key(0)] StreamId Stream,
    [property: Key(1)] long From,
    [property: Key(2)] long To,
    [property: Key(3)] HlcTimestamp MaxStamp,
    [property: Key(4)] byte[] Fragment,
    [property: Key(5)] byte[] Signature)
{
    [IgnoreMember] public long Count => To - From;

    [IgnoreMember] public int WireSize => Fragment.Length + Signature.Length + Stream.Origin.Length + 24;

    public static SignedInterval Create(StreamId stream, long from, long to, HlcTimestamp maxStamp, ReplicaState fragment, NodeKey origin)
    {
        if (origin.Id != stream.Origin) throw new ArgumentException("only the origin signs its own interval", nameof(origin));
        if (from < 0 || to <= from) throw new ArgumentOutOfRangeException(nameof(to), "an interval covers at least one delta");
        var bytes = fragment.ToBytes();
        return new SignedInterval(stream, from, to, maxStamp, bytes, origin.Sign(SigningBytes(stream, from, to, maxStamp, bytes)));
    }

    public bool VerifyWith(ReadOnlySpan<byte> originPublicKey) =>
        NodeKey.Verify(originPublicKey, SigningBytes(Stream, From, To, MaxStamp, Fragment), Signature);

    private static byte[] SigningBytes(StreamId stream, long from, long to, HlcTimestamp maxStamp, byte[] fragment) =>
        Serialization.Serialize(("lunar-dtn/interval/v1", stream.Origin, (byte)stream.Channel, from, to, maxStamp.Value, fragment));
}
