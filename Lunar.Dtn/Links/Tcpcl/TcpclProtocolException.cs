namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>
/// The peer broke RFC 9174 in a way that ends the session: what to tell it (a MSG_REJECT of the given type, or
/// a SESS_TERM reason) travels with the message.
/// </summary>
public sealed class TcpclProtocolException(string message, TcpclTerminationReason reason = TcpclTerminationReason.Unknown, (TcpclRejectReason Reason, byte Type)? reject = null)
    : Exception(message)
{
    public TcpclTerminationReason Reason { get; } = reason;

    public (TcpclRejectReason Reason, byte Type)? Reject { get; } = reject;
}
