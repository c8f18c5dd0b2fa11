namespace Lunar.Dtn.BundleFiles;

/// <summary>Why a bundle file was refused as a whole. A refused file applies nothing.</summary>
public enum BundleFileRejectionCode
{
    NotAFile,
    Empty,
    Truncated,
    BadMagic,
    UnsupportedVersion,
    MalformedManifest,
    UnknownSigner,
    RevokedSigner,
    BadSignature,
    WrongDestination,
    OwnFile,
    BadSection,
    BadBundle,
}

/// <summary>A refusal with one sentence an operator can act on.</summary>
public sealed record BundleFileRejection(BundleFileRejectionCode Code, string Reason)
{
    public override string ToString() => Reason;
}
