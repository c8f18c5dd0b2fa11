using System.Security.Cryptography;

namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>
/// The artifact's bytes on Earth for a run: deterministic content of the scenario's size written into Earth's content
/// folder under its SHA-256, as an upload to Earth would leave it. Runs keep their nodes' folders in a scratch folder in
/// memory (<c>/dev/shm</c> where there is one: the receiver's fsyncs then cost nothing) that the run removes at its end.
/// </summary>
public static class ArtifactOrigin
{
    /// <summary>A new scratch folder for one run's node folders.</summary>
    public static string ScratchFolder()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var dir = Path.Combine(root, $"lunar-sim-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes <paramref name="size"/> bytes into <paramref name="directory"/> and returns their SHA-256 (lower-case hex).</summary>
    public static string Write(string directory, long size)
    {
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "origin.tmp");
        // The content does not matter, only that every run has the same bytes: xorshift64* words, far cheaper than a seeded
        // System.Random, whose NextBytes goes byte by byte.
        var state = 0x9E3779B97F4A7C15UL;
        var buffer = new byte[1 << 16];
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(buffer.AsSpan());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, buffer.Length))
        {
            for (long written = 0; written < size;)
            {
                var n = (int)Math.Min(buffer.Length, size - written);
                for (var i = 0; i < words.Length; i++)
                {
                    state ^= state >> 12;
                    state ^= state << 25;
                    state ^= state >> 27;
                    words[i] = state * 0x2545F4914F6CDD1DUL;
                }
                hash.AppendData(buffer, 0, n);
                file.Write(buffer, 0, n);
                written += n;
            }
        }
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        File.Move(temp, Path.Combine(directory, sha), overwrite: true);
        return sha;
    }

    public static void Remove(string scratch)
    {
        try { if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
