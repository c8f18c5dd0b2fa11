namespace Lunar.Dtn.Hosting;

/// <summary>
/// Writes a file so that nothing partial ever carries its name: a temporary file beside it, written, flushed to the
/// device, then renamed over the target. A stick pulled out mid-write leaves the old file or none, never half a file.
/// </summary>
public static class AtomicFile
{
    private const int Chunk = 1024 * 1024;

    public static void Write(string path, ReadOnlySpan<byte> bytes, Action<int, int>? progress = null)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".partial";
        var chunks = Math.Max(1, (bytes.Length + Chunk - 1) / Chunk);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            for (var i = 0; i < chunks; i++)
            {
                var at = i * Chunk;
                stream.Write(bytes.Slice(at, Math.Min(Chunk, bytes.Length - at)));
                progress?.Invoke(i + 1, chunks);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }
}
