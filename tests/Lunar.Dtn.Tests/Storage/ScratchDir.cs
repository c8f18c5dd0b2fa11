namespace Lunar.Dtn.Tests.Storage;

/// <summary>A fresh directory under the system temp path, deleted on dispose.</summary>
internal sealed class ScratchDir : IDisposable
{
    public ScratchDir(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lunar-dtn-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still held open by a dying child process; the OS temp cleaner gets it */ }
        catch (UnauthorizedAccessException) { }
    }
}
