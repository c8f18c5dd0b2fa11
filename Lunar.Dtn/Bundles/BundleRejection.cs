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
}

/// <summary>A refusal with a sentence a person can act on.</summary>
public sealed record BundleRejection(RejectionCode Code, string Reason)
{
    public override string ToString() => $"{Code}: {Reason}";
}
