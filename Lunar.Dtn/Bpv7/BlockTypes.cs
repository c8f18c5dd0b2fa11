namespace Lunar.Dtn.Bpv7;

/// <summary>Block type codes this codec knows (RFC 9171 §9.1, RFC 9172 for the two security blocks).</summary>
public static class BlockTypes
{
    public const ulong Payload = 1;
    public const ulong PreviousNode = 6;
    public const ulong BundleAge = 7;
    public const ulong HopCount = 10;
    public const ulong BlockIntegrity = 11;
    public const ulong BlockConfidentiality = 12;

    /// <summary>Types a node running this code can process; any other is "unprocessable" and handled by its block flags.</summary>
    public static bool IsKnown(ulong type) => type is Payload or PreviousNode or BundleAge or HopCount or BlockIntegrity or BlockConfidentiality;

    public static string NameOf(ulong type) => type switch
    {
        Payload => "payload",
        PreviousNode => "previous-node",
        BundleAge => "bundle-age",
        HopCount => "hop-count",
        BlockIntegrity => "block-integrity",
        BlockConfidentiality => "block-confidentiality",
        _ => "unknown",
    };
}
