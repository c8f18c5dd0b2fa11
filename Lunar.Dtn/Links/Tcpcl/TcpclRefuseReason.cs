namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>XFER_REFUSE reason codes (RFC 9174 §5.2.4).</summary>
public enum TcpclRefuseReason : byte
{
    Unknown = 0x00,
    Completed = 0x01,
    NoResources = 0x02,
    Retransmit = 0x03,
    NotAcceptable = 0x04,
    ExtensionFailure = 0x05,
    SessionTerminating = 0x06,
}
