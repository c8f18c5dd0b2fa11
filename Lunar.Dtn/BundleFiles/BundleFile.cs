using System.Buffers.Binary;
using System.Security.Cryptography;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.BundleFiles;

/// <summary>A bundle file: its manifest and its sections (whole sync bundles), as written or as read and framed.</summary>
public sealed record BundleFile(BundleFileManifest Manifest, IReadOnlyList<byte[]> Sections)
{
    /// <summary>The file's bytes, signed as a whole by <paramref name="signer"/> (who must be the manifest's source).</summary>
    public byte[] Seal(NodeKey signer)
    {
        if (signer.Id != Manifest.Source) throw new ArgumentException("a bundle file is signed by its source", nameof(signer));
        if (Sections.Count != Manifest.Sections.Count) throw new ArgumentException("every section is described in the manifest");
        var manifest = Serialization.Serialize(Manifest);
        var length = BundleFileFormat.PreambleLength + manifest.Length + Sections.Sum(s => (long)s.Length) + BundleFileFormat.SignatureLength;
        if (length > BundleFileFormat.MaxFileLength) throw new InvalidOperationException($"the file would be {length} bytes, over the limit of {BundleFileFormat.MaxFileLength}");
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        BundleFileFormat.Magic.CopyTo(span);
        span[4] = BundleFileFormat.CurrentVersion;
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], (uint)manifest.Length);
        manifest.CopyTo(span[BundleFileFormat.PreambleLength..]);
        var at = BundleFileFormat.PreambleLength + manifest.Length;
        foreach (var s in Sections)
        {
            s.CopyTo(span[at..]);
            at += s.Length;
        }
        signer.Sign(span[..at]).CopyTo(span[at..]);
        return bytes;
    }

    public static byte[] Hash(ReadOnlySpan<byte> section) => SHA256.HashData(section);
}
