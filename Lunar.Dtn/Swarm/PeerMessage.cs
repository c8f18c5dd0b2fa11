using System.Buffers.Binary;

namespace Lunar.Dtn.Swarm;

/// <summary>One peer wire message: its id and payload (null id: keepalive). Encoders for the messages we send.</summary>
public readonly record struct PeerMessage(PeerMessageId? Id, byte[] Payload)
{
    /// <summary>Requests are 16 KiB blocks; a peer asking for more is closed (as real clients do).</summary>
    public const int BlockSize = 16 * 1024;

    public static readonly PeerMessage KeepAlive = new(null, []);

    public static byte[] Frame(PeerMessageId id, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 1 + payload.Length);
        frame[4] = (byte)id;
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static byte[] Simple(PeerMessageId id) => Frame(id, []);

    public static byte[] Have(int index) => Frame(PeerMessageId.Have, Ints(index));

    public static byte[] Request(int index, int offset, int length) => Frame(PeerMessageId.Request, Ints(index, offset, length));

    public static byte[] Cancel(int index, int offset, int length) => Frame(PeerMessageId.Cancel, Ints(index, offset, length));

    public static byte[] Piece(int index, int offset, ReadOnlySpan<byte> block)
    {
        var payload = new byte[8 + block.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, index);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), offset);
        block.CopyTo(payload.AsSpan(8));
        return Frame(PeerMessageId.Piece, payload);
    }

    public int Int(int at) => BinaryPrimitives.ReadInt32BigEndian(Payload.AsSpan(at * 4));

    private static byte[] Ints(params int[] values)
    {
        var b = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(i * 4), values[i]);
        return b;
    }
}
