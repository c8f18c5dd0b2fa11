namespace Lunar.Dtn.Bpv7;

/// <summary>Block processing control flags of a canonical block (RFC 9171 §4.2.4): what to do with a block a node cannot process.</summary>
[Flags]
public enum BlockFlags : ulong
{
    None = 0,
    ReplicateInEveryFragment = 0x01,
    ReportIfUnprocessable = 0x02,
    DeleteBundleIfUnprocessable = 0x04,
    DiscardBlockIfUnprocessable = 0x10,
}
