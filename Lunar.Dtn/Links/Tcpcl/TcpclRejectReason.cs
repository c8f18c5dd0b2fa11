namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>MSG_REJECT reason codes (RFC 9174 §5.1.1).</summary>
public enum TcpclRejectReason : byte
{
    TypeUnknown = 0x01,
    Unsupported = 0x02,
    Unexpected = 0x03,
}
