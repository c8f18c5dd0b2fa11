namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>How an outgoing transfer ended: fully acknowledged, refused (with the peer's reason), or the session ended first.</summary>
public sealed record TcpclTransferResult(TcpclTransferStatus Status, string Detail)
{
    public bool Delivered => Status == TcpclTransferStatus.Acknowledged;
}

public enum TcpclTransferStatus
{
    Acknowledged,
    Refused,
    SessionEnded,
}
