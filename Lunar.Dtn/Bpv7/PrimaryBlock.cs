namespace Lunar.Dtn.Bpv7;

/// <summary>
/// The primary block (RFC 9171 §4.3.1). <see cref="FragmentOffset"/> and <see cref="TotalAduLength"/> are present
/// exactly when <see cref="BundleFlags.IsFragment"/> is set. <see cref="Lifetime"/> is in milliseconds.
/// </summary>
public sealed record PrimaryBlock(
    BundleFlags Flags,
    CrcType CrcType,
    EndpointId Destination,
    EndpointId Source,
    EndpointId ReportTo,
    CreationTimestamp Creation,
    ulong Lifetime,
    ulong? FragmentOffset = null,
    ulong? TotalAduLength = null)
{
    public const ulong Version = 7;

    public bool IsFragment => (Flags & BundleFlags.IsFragment) != 0;

    /// <summary>Source and creation timestamp (and, for a fragment, its offset): what tells two bundles apart (RFC 9171 §5.8).</summary>
    public string BundleKey => $"{Source} {Creation.Time}.{Creation.Sequence}";
}
