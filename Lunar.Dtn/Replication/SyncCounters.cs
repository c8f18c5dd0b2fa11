using System.Collections.Concurrent;
using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Replication;

/// <summary>What one peer sync has sent and received, for status pages and metrics.</summary>
public sealed class SyncCounters
{
    /// <summary>How many bundle kinds there are: the first index of the by-kind arrays.</summary>
    public static readonly int KindCount = Enum.GetValues<BundleKind>().Length;

    public long BundlesSent { get; private set; }
    public long BytesSent { get; private set; }
    public long BundlesReceived { get; private set; }
    public long BytesReceived { get; private set; }
    public long Rejected { get; private set; }
    public long Duplicates { get; private set; }
    public long Retransmissions { get; set; }
    public long[] BytesSentByPriority { get; } = new long[3];
    public string? LastRejection { get; private set; }

    /// <summary>Bundles sent, by [kind, priority] (metrics label them).</summary>
    public long[,] BundlesSentByKind { get; } = new long[KindCount, 3];

    /// <summary>Bytes sent, by [kind, priority].</summary>
    public long[,] BytesSentByKind { get; } = new long[KindCount, 3];

    /// <summary>Bundles received, by kind (refused bundles whose kind was never read are not counted here).</summary>
    public long[] BundlesReceivedByKind { get; } = new long[KindCount];

    /// <summary>Bytes received, by kind.</summary>
    public long[] BytesReceivedByKind { get; } = new long[KindCount];

    /// <summary>Refused bundles by reason (bad signature, unknown signer, ...): the verification failures.</summary>
    public ConcurrentDictionary<RejectionCode, long> RejectedByCode { get; } = new();

    internal void Sent(OutgoingBundle b)
    {
        BundlesSent++;
        BytesSent += b.Bytes.Length;
        BytesSentByPriority[(int)b.Priority] += b.Bytes.Length;
        BundlesSentByKind[(int)b.Kind, (int)b.Priority]++;
        BytesSentByKind[(int)b.Kind, (int)b.Priority] += b.Bytes.Length;
    }

    internal void Count(ReceiveOutcome o, int bytes)
    {
        BundlesReceived++;
        BytesReceived += bytes;
        if (o.Kind is { } kind)
        {
            BundlesReceivedByKind[(int)kind]++;
            BytesReceivedByKind[(int)kind] += bytes;
        }
        if (o.Status == ReceiveStatus.Rejected)
        {
            // The reason first: a reader that sees the count move also finds why.
            LastRejection = o.Rejection?.ToString();
            Rejected++;
            if (o.Rejection is { } r) RejectedByCode.AddOrUpdate(r.Code, 1, (_, n) => n + 1);
        }
        if (o.Status == ReceiveStatus.Duplicate) Duplicates++;
    }
}
