using System.Buffers.Binary;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;
using static Lunar.Dtn.BundleFiles.BundleFileReadResult;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// Reads a bundle file: framing, format version, manifest, the whole-file signature of its source, the destination,
/// every section's SHA-256 and, for import, every sync bundle's own framing, signer, signature, destination and expiry.
/// It parses no payload (the replica does, in a dry run, before anything is applied).
/// </summary>
public static class BundleFileReader
{
    /// <summary>
    /// Reads <paramref name="bytes"/>. With <paramref name="trust"/> the signatures are checked; with <paramref name="self"/>
    /// (the importing node) the destination and every bundle too. Without either (inspect), only the framing and hashes.
    /// </summary>
    public static BundleFileReadResult Read(ReadOnlySpan<byte> bytes, TrustStore? trust, string? self, DateTimeOffset now)
    {
        if (bytes.Length == 0) return Refuse(BundleFileRejectionCode.Empty, "the file is empty (0 bytes): not a bundle file (a copy that never finished?)");
        if (bytes.Length >= 4 && !bytes[..4].SequenceEqual(BundleFileFormat.Magic))
            return Refuse(BundleFileRejectionCode.BadMagic, "not a Lunar.Dtn bundle file (it does not start with 'LDBF')");
        if (bytes.Length < BundleFileFormat.PreambleLength + BundleFileFormat.SignatureLength)
            return Refuse(BundleFileRejectionCode.Truncated, $"the file is truncated: {bytes.Length} bytes is shorter than the smallest bundle file");
        if (bytes[4] != BundleFileFormat.CurrentVersion)
            return Refuse(BundleFileRejectionCode.UnsupportedVersion, $"bundle file format version {bytes[4]}; this node reads format version {BundleFileFormat.CurrentVersion}");
        var manifestLength = BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]);
        if (manifestLength > BundleFileFormat.MaxManifestLength)
            return Refuse(BundleFileRejectionCode.MalformedManifest, $"the manifest claims {manifestLength} bytes, over the limit of {BundleFileFormat.MaxManifestLength}");
        if (bytes.Length < BundleFileFormat.PreambleLength + manifestLength + BundleFileFormat.SignatureLength)
            return Refuse(BundleFileRejectionCode.Truncated, $"the file is truncated: it ends inside its manifest ({bytes.Length} bytes)");
        var manifestBytes = bytes.Slice(BundleFileFormat.PreambleLength, (int)manifestLength);
        BundleFileManifest? manifest;
        try { manifest = Serialization.Deserialize<BundleFileManifest>(manifestBytes.ToArray()); }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidOperationException or ArgumentException)
        {
            return Refuse(BundleFileRejectionCode.MalformedManifest, "the manifest does not parse (the file is damaged or not a bundle file)");
        }
        if (manifest?.Source is null || manifest.Destination is null || manifest.Sections is null || manifest.SourceHas is null || manifest.Since is null ||
            manifest.Sections.Any(s => s is null || s.Sha256 is null || s.Length < 0 || s.Length > BundleFileFormat.MaxFileLength))
            return Refuse(BundleFileRejectionCode.MalformedManifest, "the manifest lacks its source, destination, vectors or a section's length and hash");

        var expected = (long)BundleFileFormat.PreambleLength + manifestLength + manifest.Sections.Sum(s => s.Length) + BundleFileFormat.SignatureLength;
        if (bytes.Length < expected) return Refuse(BundleFileRejectionCode.Truncated, $"the file is truncated: {bytes.Length} of {expected} bytes");
        if (bytes.Length > expected) return Refuse(BundleFileRejectionCode.Truncated, $"{bytes.Length - expected} stray bytes after the end of the file (two files concatenated?)");

        var signedLength = (int)(expected - BundleFileFormat.SignatureLength);
        if (trust is not null)
        {
            var key = trust.NodeKey(manifest.Source);
            if (!key.Ok)
                return Refuse(key.Problem!.Contains("revoked", StringComparison.Ordinal) ? BundleFileRejectionCode.RevokedSigner : BundleFileRejectionCode.UnknownSigner,
                    $"the file is signed by '{manifest.Source}': {key.Problem}");
            if (!NodeKey.Verify(key.PublicKey, bytes[..signedLength], bytes.Slice(signedLength, BundleFileFormat.SignatureLength)))
                return Refuse(BundleFileRejectionCode.BadSignature, $"the whole-file signature does not match {manifest.Source}'s key (the file was altered or forged)");
        }
        if (self is not null)
        {
            if (manifest.Source == self) return Refuse(BundleFileRejectionCode.OwnFile, $"the file was made by this node '{self}' itself; import it on its destination");
            if (manifest.Destination != self && manifest.Destination != BundleHeader.Broadcast)
                return Refuse(BundleFileRejectionCode.WrongDestination, $"the file is addressed to '{manifest.Destination}', not to this node '{self}'");
        }

        var sections = new List<byte[]>(manifest.Sections.Count);
        var at = BundleFileFormat.PreambleLength + (int)manifestLength;
        for (var i = 0; i < manifest.Sections.Count; i++)
        {
            var described = manifest.Sections[i];
            var section = bytes.Slice(at, (int)described.Length);
            at += (int)described.Length;
            if (!BundleFile.Hash(section).AsSpan().SequenceEqual(described.Sha256))
                return Refuse(BundleFileRejectionCode.BadSection, $"section {i + 1}: its SHA-256 does not match the manifest (the file was altered)");
            if (described.Kind == BundleFileSectionKind.SyncBundle)
            {
                if (CheckBundle(i, section, manifest, trust, self, now) is { } bad) return bad;
            }
            else if (described.Kind != BundleFileSectionKind.ArtifactContent)
                return Refuse(BundleFileRejectionCode.BadSection, $"section {i + 1} is of unknown kind {(byte)described.Kind}");
            sections.Add(section.ToArray());
        }
        return new BundleFileReadResult(new BundleFile(manifest, sections), null);
    }

    private static BundleFileReadResult? CheckBundle(int index, ReadOnlySpan<byte> section, BundleFileManifest manifest, TrustStore? trust, string? self, DateTimeOffset now)
    {
        var header = BundleCodec.PeekHeader(section);
        if (header is null) return Refuse(BundleFileRejectionCode.BadBundle, $"section {index + 1} is not a sync bundle");
        if (header.Source != manifest.Source)
            return Refuse(BundleFileRejectionCode.BadBundle, $"section {index + 1}: bundle {header.Id} comes from '{header.Source}', but the file from '{manifest.Source}'");
        if (header.Destination != manifest.Destination)
            return Refuse(BundleFileRejectionCode.WrongDestination, $"section {index + 1}: bundle {header.Id} is addressed to '{header.Destination}', but the file to '{manifest.Destination}'");
        if (trust is null || self is null) return null;
        var opened = BundleCodec.Open(section, trust, self, now);
        return opened.Ok ? null : Refuse(BundleFileRejectionCode.BadBundle, $"section {index + 1}: {opened.Rejection!.Reason}");
    }
}
