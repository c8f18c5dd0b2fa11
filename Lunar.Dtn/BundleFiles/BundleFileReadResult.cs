namespace Lunar.Dtn.BundleFiles;

/// <summary>A framed (and, when a trust store was given, verified) bundle file, or why not.</summary>
public sealed record BundleFileReadResult(BundleFile? File, BundleFileRejection? Rejection)
{
    public bool Ok => File is not null;

    public static BundleFileReadResult Refuse(BundleFileRejectionCode code, string reason) => new(null, new BundleFileRejection(code, reason));
}
