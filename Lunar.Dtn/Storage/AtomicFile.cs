namespace Lunar.Dtn.Storage;

/// <summary>
/// Writes a file so that nothing partial ever carries its name: a temporary file beside it, written, flushed to the
/// device, then renamed over the target. A stick pulled out mid-write leaves the old file or none, never half a file.
/// </summary>
/// <remarks>
/// Private files (keys) are created with their final mode (0600) in the same call that creates them: never written
/// world-readable and then chmod-ed, which leaves a window in which another user can open the file.
/// </remarks>
public static class AtomicFile
{
    private const int Chunk = 1024 * 1024;

    /// <summary>Owner read and write only: what every private key file gets.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write, group read: the store and the logs.</summary>
    public const UnixFileMode OwnerAndGroup = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <param name="durable">
    /// False only for bulk writes that call <see cref="FileCreationMask.SyncAll"/> once at the end (thousands of agent
    /// certificates): the rename is still atomic, and one flush of everything replaces one per file.
    /// </param>
    public static void Write(string path, ReadOnlySpan<byte> bytes, Action<int, int>? progress = null, UnixFileMode? mode = null, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".partial";
        File.Delete(temp);
        var chunks = Math.Max(1, (bytes.Length + Chunk - 1) / Chunk);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (mode is { } m && !OperatingSystem.IsWindows()) options.UnixCreateMode = m;
        using (var stream = new FileStream(temp, options))
        {
            for (var i = 0; i < chunks; i++)
            {
                var at = i * Chunk;
                stream.Write(bytes.Slice(at, Math.Min(Chunk, bytes.Length - at)));
                progress?.Invoke(i + 1, chunks);
            }
            stream.Flush(flushToDisk: durable);
        }
        File.Move(temp, full, overwrite: true);
    }

    public static void WriteText(string path, string text, UnixFileMode? mode = null, bool durable = true) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(text), mode: mode, durable: durable);

    /// <summary>Writes a private file (mode 0600 from its creation).</summary>
    public static void WritePrivate(string path, string text, bool durable = true) => WriteText(path, text, Private, durable);
}
