namespace Lunar.Dtn.Bundles;

/// <summary>Why an input was refused. Every refusal leaves the store untouched.</summary>
public enum RejectionCode
{
    Truncated,
    BadMagic,
    UnsupportedVersion,
    MalformedHeader,
    UnknownSigner,
    RevokedSigner,
    BadSignature,
    WrongDestination,
    Expired,
    PayloadTooLarge,
    MalformedPayload,
    BadOriginSignature,
    Replay,
    /// <summary>A constellation version that does not chain: bad signature, wrong signer, not newer, or a second version under one number.</summary>
    BadConstellation,
}

/// <summary>A refusal with a sentence a person can act on.</summary>
public sealed record BundleRejection(RejectionCode Code, string Reason)
{
    public override string ToString() => $"{Code}: {Reason}";
}
