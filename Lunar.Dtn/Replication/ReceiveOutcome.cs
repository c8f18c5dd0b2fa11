using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Replication;

public enum ReceiveStatus
{
    /// <summary>Something new was merged and made durable.</summary>
    Applied,
    /// <summary>Valid, but everything in it was already held (a duplicate or replay); nothing changed.</summary>
    Duplicate,
    /// <summary>Valid, but it waits for an earlier interval that has not arrived yet; nothing changed on disk.</summary>
    Held,
    /// <summary>Refused; nothing changed.</summary>
    Rejected,
}

/// <summary>What became of one received bundle.</summary>
public sealed record ReceiveOutcome(
    ReceiveStatus Status,
    BundleKind? Kind,
    string? Source,
    long DeltasApplied,
    int RecordsChanged,
    BundleRejection? Rejection,
    bool ShouldAcknowledge,
    bool PeerAckAdvanced)
{
    public static ReceiveOutcome Rejected(BundleRejection r, string? source = null, BundleKind? kind = null) =>
        new(ReceiveStatus.Rejected, kind, source, 0, 0, r, false, false);

    public override string ToString() =>
        Status == ReceiveStatus.Rejected ? $"rejected: {Rejection}" : $"{Status.ToString().ToLowerInvariant()} {Kind} from {Source}: {DeltasApplied} deltas, {RecordsChanged} records";
}
