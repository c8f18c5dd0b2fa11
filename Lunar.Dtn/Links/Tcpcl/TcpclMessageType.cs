namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>TCPCLv4 message type codes (RFC 9174 §9.5).</summary>
public enum TcpclMessageType : byte
{
    XferSegment = 0x01,
    XferAck = 0x02,
    XferRefuse = 0x03,
    Keepalive = 0x04,
    SessTerm = 0x05,
    MsgReject = 0x06,
    SessInit = 0x07,
}
