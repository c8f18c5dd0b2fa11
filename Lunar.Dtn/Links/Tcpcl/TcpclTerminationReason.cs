namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>SESS_TERM reason codes (RFC 9174 §6.1).</summary>
public enum TcpclTerminationReason : byte
{
    Unknown = 0x00,
    IdleTimeout = 0x01,
    VersionMismatch = 0x02,
    Busy = 0x03,
    ContactFailure = 0x04,
    ResourceExhaustion = 0x05,
}
