namespace Lunar.Dtn.Bpv7;

/// <summary>The hop-count block's data (RFC 9171 §4.4.3): the limit (1–255) and the hops taken so far.</summary>
public readonly record struct HopCount(ulong Limit, ulong Count)
{
    public bool Exceeded => Count > Limit;
}
