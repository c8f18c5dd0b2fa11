namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// The USB bundle file, format 1:
/// <c>"LDBF" | u8 format version | u32 manifest length | manifest (MessagePack) | sections, in manifest order | Ed25519 signature (64)</c>.
/// The exporting node signs every byte before the signature; each section is one whole signed sync bundle
/// ("LDB1"), whose intervals keep their origins' signatures. The manifest says who made the file, for whom,
/// when, what the exporter holds, and what every section is (kind, length, SHA-256, intervals), so a file
/// describes itself without any key (<c>bundle inspect</c>).
/// </summary>
public static class BundleFileFormat
{
    public const byte CurrentVersion = 1;
    public const int SignatureLength = 64;
    /// <summary>Magic, version byte, manifest length.</summary>
    public const int PreambleLength = 4 + 1 + 4;
    public const int MaxManifestLength = 16 * 1024 * 1024;
    /// <summary>The largest file read (a guard: the whole file is held in memory while it is checked).</summary>
    public const long MaxFileLength = 2L * 1024 * 1024 * 1024 - 1;
    /// <summary>The file name extension operators see on the stick.</summary>
    public const string Extension = ".ldbf";

    public static ReadOnlySpan<byte> Magic => "LDBF"u8;
}
