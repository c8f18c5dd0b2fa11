using System.Runtime.InteropServices;

namespace Lunar.Dtn.Storage;

/// <summary>
/// The process's file creation mask. A node sets 027 before it opens anything, so every file it creates — the store
/// (replica.db), its logs, the outbox, artifacts — is at most 0640 and every folder 0750: nothing it writes is readable
/// by other users of the machine, without chmod-ing each file after the fact (which leaves a window).
/// </summary>
public static class FileCreationMask
{
    /// <summary>Owner all, group read (and enter folders), others nothing.</summary>
    public const int NodeMask = 0b000_010_111; // 027 octal

    /// <summary>Sets the mask (no-op on Windows); returns the previous one.</summary>
    public static int Set(int mask) => OperatingSystem.IsWindows() ? 0 : umask(mask);

    // DllImport, not LibraryImport: an int in, an int out needs no marshalling, and no unsafe code in this library.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "umask")]
    private static extern int umask(int mask);
#pragma warning restore SYSLIB1054
}
