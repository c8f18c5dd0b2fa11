using System.Runtime.InteropServices;

namespace Lunar.Dtn.Storage;

/// <summary>
/// The process's file creation mask (and the one flush of everything, for bulk writes). A node sets 027 before it opens anything, so every file it creates — the store
/// (replica.db), its logs, the outbox, artifacts — is at most 0640 and every folder 0750: nothing it writes is readable
/// by other users of the machine, without chmod-ing each file after the fact (which leaves a window).
/// </summary>
public static class FileCreationMask
{
    /// <summary>Owner all, group read (and enter folders), others nothing.</summary>
    public const int NodeMask = 0b000_010_111; // 027 octal

    /// <summary>Sets the mask (no-op on Windows); returns the previous one.</summary>
    public static int Set(int mask) => OperatingSystem.IsWindows() ? 0 : umask(mask);

    /// <summary>Flushes every file system's dirty data to its device (sync(2)): one flush after a bulk write of many small files.</summary>
    public static void SyncAll()
    {
        if (!OperatingSystem.IsWindows()) sync();
    }

    // DllImport, not LibraryImport: an int in, an int out needs no marshalling, and no unsafe code in this library.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "umask")]
    private static extern int umask(int mask);

    [DllImport("libc", EntryPoint = "sync")]
    private static extern void sync();
#pragma warning restore SYSLIB1054
}
