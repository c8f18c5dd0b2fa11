namespace Lunar.Dtn.Hosting;

/// <summary>The data folder is held by another process (a running node, or a verb working on it).</summary>
public sealed class DataFolderInUseException(string dataDir, Exception inner)
    : IOException($"the data folder {dataDir} is in use by another process (a running node?)", inner)
{
    public string DataDir { get; } = dataDir;
}
