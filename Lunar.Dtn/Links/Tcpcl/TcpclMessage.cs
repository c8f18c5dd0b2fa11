namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>One TCPCLv4 message after the contact header (RFC 9174 §§4–6).</summary>
public abstract record TcpclMessage;

/// <summary>SESS_INIT: what this entity can receive (segment and transfer MRU), its keepalive wish (seconds; 0 = none) and node id.</summary>
public sealed record SessInit(ushort KeepaliveSeconds, ulong SegmentMru, ulong TransferMru, string NodeId, IReadOnlyList<TcpclExtension> Extensions) : TcpclMessage;

/// <summary>XFER_SEGMENT: START (0x02) and END (0x01) flags; the transfer extensions ride on the START segment.</summary>
public sealed record XferSegment(byte Flags, ulong TransferId, IReadOnlyList<TcpclExtension> Extensions, byte[] Data) : TcpclMessage
{
    public const byte Start = 0x02;
    public const byte End = 0x01;

    public bool IsStart => (Flags & Start) != 0;

    public bool IsEnd => (Flags & End) != 0;
}

public sealed record XferAck(byte Flags, ulong TransferId, ulong AcknowledgedLength) : TcpclMessage;

public sealed record XferRefuse(TcpclRefuseReason Reason, ulong TransferId) : TcpclMessage;

public sealed record Keepalive : TcpclMessage;

public sealed record SessTerm(bool IsReply, TcpclTerminationReason Reason) : TcpclMessage
{
    public const byte ReplyFlag = 0x01;
}

public sealed record MsgReject(TcpclRejectReason Reason, byte RejectedType) : TcpclMessage;

/// <summary>A session or transfer extension item: critical flag, type, value (RFC 9174 §4.8, §5.2.5).</summary>
public sealed record TcpclExtension(bool Critical, ushort Type, byte[] Value)
{
    /// <summary>The transfer extension that announces a transfer's total length (RFC 9174 §5.2.5.1).</summary>
    public const ushort TransferLength = 0x0001;
}
