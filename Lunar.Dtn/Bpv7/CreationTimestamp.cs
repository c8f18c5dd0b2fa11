namespace Lunar.Dtn.Bpv7;

/// <summary>
/// A bundle's creation timestamp (RFC 9171 §4.2.7): DTN time in milliseconds (0 without a clock) and a sequence
/// number that tells apart bundles from one source created in the same millisecond. With the source it identifies the bundle.
/// </summary>
public readonly record struct CreationTimestamp(ulong Time, ulong Sequence)
{
    public override string ToString() => $"[{Time}, {Sequence}]";
}
