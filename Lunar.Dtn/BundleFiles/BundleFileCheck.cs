namespace Lunar.Dtn.BundleFiles;

/// <summary>A bundle file checked whole and rehearsed, ready to apply; or why it is refused (then nothing is applied).</summary>
public sealed record BundleFileCheck(BundleFile? File, BundleFileRejection? Rejection)
{
    public bool Ok => File is not null;
}
