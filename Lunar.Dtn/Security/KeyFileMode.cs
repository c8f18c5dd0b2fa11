namespace Lunar.Dtn.Security;

/// <summary>
/// Refuses private key files that anyone but their owner can read: a node or agent must not start on a key that may
/// already be copied. The message names the file and the command that fixes it.
/// </summary>
public static class KeyFileMode
{
    private const UnixFileMode OthersOrGroup =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Throws <see cref="FormatException"/> when <paramref name="path"/> is readable or writable by group or others.</summary>
    public static void Check(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path)) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & OthersOrGroup) != 0)
            throw new FormatException(
                $"the private key file {path} is readable by others (mode {Convert.ToString((int)mode, 8)}): fix it with 'chmod 600 {path}' " +
                "and, if others may have read it, revoke the key");
    }
}
