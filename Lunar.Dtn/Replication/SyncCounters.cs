using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Replication;

/// <summary>What one peer sync has sent and received, for status pages and metrics.</summary>
public sealed class SyncCounters
{
    public long BundlesSent { get; private set; }
    public long BytesSent { get; private set; }
    public long BundlesReceived { get; private set; }
    public long BytesReceived { get; private set; }
    public long Rejected { get; private set; }
    public long Duplicates { get; private set; }
    public long Retransmissions { get; set; }
    public long[] BytesSentByPriority { get; } = new long[3];
    public string? LastRejection { get; private set; }

    internal void Sent(OutgoingBundle b)
    {
        BundlesSent++;
        BytesSent += b.Bytes.Length;
        BytesSentByPriority[(int)b.Priority] += b.Bytes.Length;
    }

    internal void Count(ReceiveOutcome o, int bytes)
    {
        BundlesReceived++;
        BytesReceived += bytes;
        if (o.Status == ReceiveStatus.Rejected) { Rejected++; LastRejection = o.Rejection?.ToString(); }
        if (o.Status == ReceiveStatus.Duplicate) Duplicates++;
    }
}
