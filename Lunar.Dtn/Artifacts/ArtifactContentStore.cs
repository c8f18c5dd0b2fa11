using System.Security.Cryptography;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Artifacts;

/// <summary>
/// Artifact bytes held by a node, one file per artifact named by its SHA-256 (<c>DataDir/artifacts/&lt;sha256&gt;</c>).
/// A file appears under its final name only after its whole content matched the registered hash and size, so
/// anything this store hands out (the Earth origin, the Moon mirror, a Tier 1 copy) is exactly what was signed.
/// </summary>
public sealed class ArtifactContentStore
{
    private const int CopyBuffer = 1 << 16;

    public ArtifactContentStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        Known = new KnownHoldings(directory);
    }

    public string Directory { get; }

    /// <summary>What other nodes said in their bundle files that they hold (so a stick does not carry it back to them).</summary>
    public KnownHoldings Known { get; }

    /// <summary>Where artifacts arriving chunk by chunk are assembled (<see cref="PartialArtifact"/>), outside the verified set.</summary>
    public string IncomingDirectory => Path.Combine(Directory, "incoming");

    /// <summary>Raised with the hash of every artifact that newly became held (after upload or after a chunked transfer), outside any lock.</summary>
    public event Action<string>? Stored;

    /// <summary>True when the verified content of <paramref name="sha256"/> is here.</summary>
    public bool Has(string sha256) => File.Exists(FinalPath(sha256));

    /// <summary>The path of the verified content, or null when this node does not hold it.</summary>
    public string? PathOf(string sha256) => Has(sha256) ? FinalPath(sha256) : null;

    /// <summary>The hashes of every artifact held here.</summary>
    public IReadOnlyList<string> Held() =>
        System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).OfType<string>().Where(IsHash).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Stores <paramref name="content"/> as the bytes of <paramref name="artifact"/>: streamed to a temporary file
    /// while hashing, refused (nothing kept) when it is longer or shorter than the registered size or hashes to
    /// anything else, then moved into place atomically. Storing content already held is a no-op.
    /// </summary>
    /// <exception cref="InvalidDataException">The content is not the artifact's; the message says how.</exception>
    public async Task ImportAsync(ArtifactRecord artifact, Stream content, CancellationToken cancellationToken = default)
    {
        var sha = artifact.Sha256.ToLowerInvariant();
        if (!IsHash(sha)) throw new InvalidDataException($"'{artifact.Sha256}' is not a SHA-256 in hex");
        var temp = Path.Combine(Directory, $"{sha}.{Guid.NewGuid():N}.incoming");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBuffer, useAsync: true))
            {
                var buffer = new byte[CopyBuffer];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    // Endless data: stop reading the moment the sender goes past the signed size.
                    if (total > artifact.SizeBytes)
                        throw new InvalidDataException($"the content is longer than the registered {artifact.SizeBytes} bytes of {artifact.Name} {artifact.Version}");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            if (total != artifact.SizeBytes)
                throw new InvalidDataException($"the content is {total} bytes, but {artifact.Name} {artifact.Version} is registered with {artifact.SizeBytes}");
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != sha)
                throw new InvalidDataException($"the content hashes to sha256 {actual}, not the registered {sha}");
            if (Has(sha)) return;
            File.Move(temp, FinalPath(sha));
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        Stored?.Invoke(sha);
    }

    /// <summary>
    /// Moves a completely received <paramref name="partial"/> into the verified set when its size and SHA-256 are exactly
    /// <paramref name="artifact"/>'s. Null when adopted; otherwise why not, and the partial is left to the caller (to discard).
    /// </summary>
    public string? Adopt(ArtifactRecord artifact, PartialArtifact partial)
    {
        var sha = artifact.Sha256.ToLowerInvariant();
        if (!partial.Bitmap.IsComplete) return $"only {partial.Bitmap.Held} of {partial.Bitmap.Count} chunks are held";
        var (actual, length) = partial.Digest();
        if (length != artifact.SizeBytes)
            return $"the assembled content is {length} bytes, but {artifact.Name} {artifact.Version} is registered with {artifact.SizeBytes}";
        if (actual != sha) return $"the assembled content hashes to sha256 {actual}, not the registered {sha}";
        partial.Dispose();
        if (!Has(sha)) File.Move(partial.DataPath, FinalPath(sha));
        partial.Discard();
        Stored?.Invoke(sha);
        return null;
    }

    private string FinalPath(string sha256) => Path.Combine(Directory, sha256.ToLowerInvariant());

    private static bool IsHash(string? s) => s is { Length: 64 } && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
