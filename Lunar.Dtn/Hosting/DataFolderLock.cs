namespace Lunar.Dtn.Hosting;

/// <summary>
/// One process at a time on a data folder: an exclusive lock on <c>DataDir/node.lock</c>, held while the node is open
/// (serve, init, the bundle verbs). LiteDB itself lets a second process open the same file, and two replicas writing
/// one store would corrupt it. The kernel drops the lock when the holder dies, even by kill -9.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    public const string FileName = "node.lock";

    private readonly FileStream _file;

    private DataFolderLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or throws <see cref="DataFolderInUseException"/> when another process (or opening) holds it.</summary>
    public static DataFolderLock Take(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        try
        {
            return new DataFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataFolderInUseException(Path.GetFullPath(dataDir), ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
