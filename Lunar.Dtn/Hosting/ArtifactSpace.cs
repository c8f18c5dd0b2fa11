using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// What the artifacts folder can still take: its file system's free space, less a reserve kept for the replica store
/// and the logs (<c>Artifacts:FreeSpaceReserveMB</c>), less what uploads already under way will write. An artifact
/// larger than that is refused when it is registered and before its upload starts, naming both figures.
/// </summary>
public sealed class ArtifactSpace(string directory, long reserveBytes)
{
    public const string ReserveKey = "Artifacts:FreeSpaceReserveMB";
    public const int DefaultReserveMB = 256;

    private readonly Lock _gate = new();
    private long _pending;

    public string Directory { get; } = directory;

    public long ReserveBytes { get; } = reserveBytes;

    public static ArtifactSpace From(IConfiguration config, string directory, List<string> problems)
    {
        var reserveMb = SettingReader.Int(config.GetSection("Artifacts"), "FreeSpaceReserveMB", DefaultReserveMB, 0, int.MaxValue, problems);
        return new ArtifactSpace(directory, reserveMb * 1024L * 1024);
    }

    /// <summary>The file system's free bytes where artifacts are kept.</summary>
    public long FreeBytes()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new DriveInfo(Path.GetFullPath(Directory)).AvailableFreeSpace;
    }

    /// <summary>The largest artifact this node can take now.</summary>
    public long Available(out long free)
    {
        free = FreeBytes();
        return Math.Max(0, free - ReserveBytes - Interlocked.Read(ref _pending));
    }

    /// <summary>Null when <paramref name="sizeBytes"/> fits; else why not, with both figures.</summary>
    public string? Refusal(long sizeBytes, string what = "the artifact")
    {
        var available = Available(out var free);
        if (sizeBytes <= available) return null;
        var pending = Interlocked.Read(ref _pending);
        return $"{what} is {BodyLimits.N(sizeBytes)} bytes but this node can hold at most {BodyLimits.N(available)} more: " +
            $"{BodyLimits.N(free)} bytes free in {Path.GetFullPath(Directory)}, less a reserve of {BodyLimits.N(ReserveBytes)} ({ReserveKey})" +
            (pending > 0 ? $" and {BodyLimits.N(pending)} for uploads under way" : "");
    }

    /// <summary>Holds <paramref name="sizeBytes"/> for an upload under way, or answers why it does not fit; dispose the hold when the upload ends.</summary>
    public IDisposable? TryHold(long sizeBytes, out string? refusal, string what = "the artifact")
    {
        lock (_gate)
        {
            refusal = Refusal(sizeBytes, what);
            if (refusal is not null) return null;
            Interlocked.Add(ref _pending, sizeBytes);
        }
        return new Hold(this, sizeBytes);
    }

    private sealed class Hold(ArtifactSpace space, long bytes) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Add(ref space._pending, -bytes);
        }
    }
}
