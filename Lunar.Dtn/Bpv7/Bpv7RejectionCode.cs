namespace Lunar.Dtn.Bpv7;

/// <summary>Why a BPv7 bundle was refused (see <see cref="Bpv7Rejection"/> for the sentence).</summary>
public enum Bpv7RejectionCode
{
    /// <summary>The input ends before the bundle does.</summary>
    Truncated,
    /// <summary>Not well-formed CBOR, or a CBOR item of the wrong kind where RFC 9171 wants another.</summary>
    MalformedCbor,
    /// <summary>Bytes follow the bundle's closing break.</summary>
    TrailingBytes,
    /// <summary>The bundle is not an indefinite-length array, or a block is not in deterministic (shortest-form) CBOR.</summary>
    NotDeterministic,
    UnsupportedVersion,
    UnknownCrcType,
    BadCrc,
    /// <summary>A block array of the wrong length or with a field out of range.</summary>
    MalformedBlock,
    BadEndpoint,
    MissingPayload,
    PayloadNotLast,
    DuplicateBlockNumber,
    /// <summary>Two previous-node, bundle-age or hop-count blocks (RFC 9171 §4.4 allows at most one each).</summary>
    DuplicateExtensionBlock,
    /// <summary>A previous-node, bundle-age or hop-count block whose data does not parse or is out of range.</summary>
    MalformedExtensionBlock,
    /// <summary>Fragment fields present without the fragment flag (or the reverse), or out of range.</summary>
    BadFragment,
    /// <summary>Processing flags that contradict each other (e.g. an anonymous source that allows fragmentation).</summary>
    InconsistentFlags,
    /// <summary>A primary block without a CRC that no block-integrity block protects (RFC 9171 §4.3.1).</summary>
    UnprotectedPrimaryBlock,
    /// <summary>Creation time 0 (no clock) without a bundle-age block (RFC 9171 §4.4.2).</summary>
    MissingBundleAge,
    TooLarge,
    /// <summary>Delivery judgements, made on receipt rather than by the codec:</summary>
    Expired,
    HopLimitExceeded,
    /// <summary>An unknown block whose flags say to delete the bundle when it cannot be processed.</summary>
    UnprocessableBlock,
}
