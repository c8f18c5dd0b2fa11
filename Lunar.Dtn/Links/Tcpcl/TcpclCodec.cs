using System.Buffers.Binary;
using System.Text;

namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>
/// TCPCLv4 wire format (RFC 9174): the contact header "dtn!" 0x04 flags, and every message as a type byte and
/// big-endian fields. Reading never allocates more than the limits allow: a segment larger than this entity's
/// segment MRU, or an extension list larger than <see cref="MaxExtensionBytes"/>, ends the session.
/// </summary>
public static class TcpclCodec
{
    public static ReadOnlySpan<byte> Magic => "dtn!"u8;
    public const byte Version = 4;
    public const int MaxExtensionBytes = 64 * 1024;
    public const int MaxNodeIdBytes = 1024;

    public static byte[] ContactHeader(bool canTls = false) => [.. Magic, Version, canTls ? CanTls : (byte)0];

    /// <summary>The contact header flag by which an entity offers TLS (RFC 9174 §4.2).</summary>
    public const byte CanTls = 0x01;

    /// <summary>Reads the peer's contact header and returns its flags; throws naming what is wrong (not "dtn!", or another version).</summary>
    public static async Task<byte> ReadContactHeaderAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[6];
        await stream.ReadExactlyAsync(header, ct).ConfigureAwait(false);
        if (!header.AsSpan(0, 4).SequenceEqual(Magic))
            throw new TcpclProtocolException($"contact header starts with {Convert.ToHexStringLower(header.AsSpan(0, 4))}, not \"dtn!\"", TcpclTerminationReason.ContactFailure);
        if (header[4] != Version)
            throw new TcpclProtocolException($"peer speaks TCPCL version {header[4]}, this node version 4", TcpclTerminationReason.VersionMismatch);
        return header[5];
    }

    public static byte[] Encode(TcpclMessage message)
    {
        using var m = new MemoryStream();
        switch (message)
        {
            case SessInit s:
                m.WriteByte((byte)TcpclMessageType.SessInit);
                U16(m, s.KeepaliveSeconds);
                U64(m, s.SegmentMru);
                U64(m, s.TransferMru);
                var id = Encoding.UTF8.GetBytes(s.NodeId);
                U16(m, (ushort)id.Length);
                m.Write(id);
                Extensions(m, s.Extensions);
                break;
            case XferSegment x:
                m.WriteByte((byte)TcpclMessageType.XferSegment);
                m.WriteByte(x.Flags);
                U64(m, x.TransferId);
                if (x.IsStart) Extensions(m, x.Extensions);
                U64(m, (ulong)x.Data.Length);
                m.Write(x.Data);
                break;
            case XferAck a:
                m.WriteByte((byte)TcpclMessageType.XferAck);
                m.WriteByte(a.Flags);
                U64(m, a.TransferId);
                U64(m, a.AcknowledgedLength);
                break;
            case XferRefuse r:
                m.WriteByte((byte)TcpclMessageType.XferRefuse);
                m.WriteByte((byte)r.Reason);
                U64(m, r.TransferId);
                break;
            case Keepalive:
                m.WriteByte((byte)TcpclMessageType.Keepalive);
                break;
            case SessTerm t:
                m.WriteByte((byte)TcpclMessageType.SessTerm);
                m.WriteByte(t.IsReply ? SessTerm.ReplyFlag : (byte)0);
                m.WriteByte((byte)t.Reason);
                break;
            case MsgReject j:
                m.WriteByte((byte)TcpclMessageType.MsgReject);
                m.WriteByte((byte)j.Reason);
                m.WriteByte(j.RejectedType);
                break;
            default:
                throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message));
        }
        return m.ToArray();
    }

    /// <summary>Reads one message; null at a clean end of stream before a message starts.</summary>
    public static async Task<TcpclMessage?> ReadAsync(Stream stream, ulong segmentMru, CancellationToken ct)
    {
        var type = new byte[1];
        if (await stream.ReadAtLeastAsync(type, 1, throwOnEndOfStream: false, ct).ConfigureAwait(false) == 0) return null;
        switch ((TcpclMessageType)type[0])
        {
            case TcpclMessageType.SessInit:
                var keepalive = await U16Async(stream, ct).ConfigureAwait(false);
                var segmentMruPeer = await U64Async(stream, ct).ConfigureAwait(false);
                var transferMru = await U64Async(stream, ct).ConfigureAwait(false);
                var idLength = await U16Async(stream, ct).ConfigureAwait(false);
                if (idLength > MaxNodeIdBytes) throw new TcpclProtocolException($"node id of {idLength} bytes is longer than {MaxNodeIdBytes}", TcpclTerminationReason.ResourceExhaustion);
                var id = await BytesAsync(stream, idLength, ct).ConfigureAwait(false);
                string nodeId;
                try { nodeId = new UTF8Encoding(false, true).GetString(id); }
                catch (DecoderFallbackException) { throw new TcpclProtocolException("node id is not UTF-8", TcpclTerminationReason.ContactFailure); }
                var sessionExtensions = await ExtensionsAsync(stream, ct).ConfigureAwait(false);
                return new SessInit(keepalive, segmentMruPeer, transferMru, nodeId, sessionExtensions);
            case TcpclMessageType.XferSegment:
                var flags = await ByteAsync(stream, ct).ConfigureAwait(false);
                var transferId = await U64Async(stream, ct).ConfigureAwait(false);
                IReadOnlyList<TcpclExtension> extensions = (flags & XferSegment.Start) != 0 ? await ExtensionsAsync(stream, ct).ConfigureAwait(false) : [];
                var length = await U64Async(stream, ct).ConfigureAwait(false);
                if (length > segmentMru)
                    throw new TcpclProtocolException($"segment of {length} bytes exceeds this node's segment MRU of {segmentMru}", TcpclTerminationReason.ResourceExhaustion);
                return new XferSegment(flags, transferId, extensions, await BytesAsync(stream, (int)length, ct).ConfigureAwait(false));
            case TcpclMessageType.XferAck:
                return new XferAck(await ByteAsync(stream, ct).ConfigureAwait(false), await U64Async(stream, ct).ConfigureAwait(false), await U64Async(stream, ct).ConfigureAwait(false));
            case TcpclMessageType.XferRefuse:
                return new XferRefuse((TcpclRefuseReason)await ByteAsync(stream, ct).ConfigureAwait(false), await U64Async(stream, ct).ConfigureAwait(false));
            case TcpclMessageType.Keepalive:
                return new Keepalive();
            case TcpclMessageType.SessTerm:
                var termFlags = await ByteAsync(stream, ct).ConfigureAwait(false);
                return new SessTerm((termFlags & SessTerm.ReplyFlag) != 0, (TcpclTerminationReason)await ByteAsync(stream, ct).ConfigureAwait(false));
            case TcpclMessageType.MsgReject:
                return new MsgReject((TcpclRejectReason)await ByteAsync(stream, ct).ConfigureAwait(false), await ByteAsync(stream, ct).ConfigureAwait(false));
            default:
                // Its length is unknown, so nothing after it can be framed: reject it and end the session.
                throw new TcpclProtocolException($"unknown message type 0x{type[0]:x2}", TcpclTerminationReason.Unknown, (TcpclRejectReason.TypeUnknown, type[0]));
        }
    }

    private static void U16(Stream s, ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, v); s.Write(b); }

    private static void U32(Stream s, uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); s.Write(b); }

    private static void U64(Stream s, ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64BigEndian(b, v); s.Write(b); }

    private static void Extensions(Stream s, IReadOnlyList<TcpclExtension> items)
    {
        U32(s, (uint)items.Sum(e => 5 + e.Value.Length));
        foreach (var e in items)
        {
            s.WriteByte(e.Critical ? (byte)1 : (byte)0);
            U16(s, e.Type);
            U16(s, (ushort)e.Value.Length);
            s.Write(e.Value);
        }
    }

    private static async Task<IReadOnlyList<TcpclExtension>> ExtensionsAsync(Stream s, CancellationToken ct)
    {
        var length = await U32Async(s, ct).ConfigureAwait(false);
        if (length > MaxExtensionBytes) throw new TcpclProtocolException($"extension list of {length} bytes is longer than {MaxExtensionBytes}", TcpclTerminationReason.ResourceExhaustion);
        var bytes = await BytesAsync(s, (int)length, ct).ConfigureAwait(false);
        var items = new List<TcpclExtension>();
        for (var at = 0; at < bytes.Length;)
        {
            if (bytes.Length - at < 5) throw new TcpclProtocolException("an extension item is cut short", TcpclTerminationReason.Unknown);
            var critical = (bytes[at] & 1) != 0;
            var type = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 1));
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 3));
            if (bytes.Length - at - 5 < valueLength) throw new TcpclProtocolException("an extension item's value runs past its list", TcpclTerminationReason.Unknown);
            items.Add(new TcpclExtension(critical, type, bytes.AsSpan(at + 5, valueLength).ToArray()));
            at += 5 + valueLength;
        }
        return items;
    }

    private static async Task<byte[]> BytesAsync(Stream s, int n, CancellationToken ct)
    {
        var b = new byte[n];
        await s.ReadExactlyAsync(b, ct).ConfigureAwait(false);
        return b;
    }

    private static async Task<byte> ByteAsync(Stream s, CancellationToken ct) => (await BytesAsync(s, 1, ct).ConfigureAwait(false))[0];

    private static async Task<ushort> U16Async(Stream s, CancellationToken ct) => BinaryPrimitives.ReadUInt16BigEndian(await BytesAsync(s, 2, ct).ConfigureAwait(false));

    private static async Task<uint> U32Async(Stream s, CancellationToken ct) => BinaryPrimitives.ReadUInt32BigEndian(await BytesAsync(s, 4, ct).ConfigureAwait(false));

    private static async Task<ulong> U64Async(Stream s, CancellationToken ct) => BinaryPrimitives.ReadUInt64BigEndian(await BytesAsync(s, 8, ct).ConfigureAwait(false));
}
