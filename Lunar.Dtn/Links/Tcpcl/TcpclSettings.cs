namespace Lunar.Dtn.Links.Tcpcl;

/// <summary>What this entity offers in its SESS_INIT, and how long it waits for a peer.</summary>
public sealed record TcpclSettings
{
    /// <summary>This node's id as sent in SESS_INIT, e.g. "ipn:1.0".</summary>
    public required string NodeId { get; init; }

    /// <summary>Keepalive interval wished for (seconds; 0: none). The session uses the smaller of both wishes.</summary>
    public ushort KeepaliveSeconds { get; init; } = 30;

    /// <summary>Largest segment this entity receives; the peer segments to fit.</summary>
    public ulong SegmentMru { get; init; } = 1024 * 1024;

    /// <summary>Largest transfer (bundle) this entity receives; larger ones are refused.</summary>
    public ulong TransferMru { get; init; } = (ulong)Bpv7.Bpv7Codec.MaxBundleBytes;

    /// <summary>TLS when the peer offers it too (RFC 9174 §4.4), with this node's certificate; null: never (CAN_TLS not set).</summary>
    public TcpclTls? Tls { get; init; }

    /// <summary>Time allowed for the contact header, TLS and SESS_INIT exchange.</summary>
    public TimeSpan ContactTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Decides whether to take a transfer when its first segment arrives (declared length, if any); null accepts.</summary>
    public Func<ulong?, TcpclRefuseReason?>? AcceptTransfer { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming a value the wire format cannot carry.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(NodeId) || System.Text.Encoding.UTF8.GetByteCount(NodeId) > TcpclCodec.MaxNodeIdBytes)
            throw new ArgumentException("TCPCL node id must be 1 to 1024 bytes of UTF-8");
        if (SegmentMru is 0 or > int.MaxValue) throw new ArgumentException($"segment MRU {SegmentMru} must be 1 to {int.MaxValue}");
        if (TransferMru == 0) throw new ArgumentException("transfer MRU must be positive");
    }
}
