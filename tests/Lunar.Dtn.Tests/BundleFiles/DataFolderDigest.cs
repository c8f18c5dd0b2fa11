using Lunar.Dtn.Storage;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>
/// A hash of everything a stopped node's LiteDB store holds, read through the store itself (see <see cref="StoredHash"/>):
/// equal before and after exactly when nothing was committed in between.
/// </summary>
public static class DataFolderDigest
{
    public static string Of(string dataDir)
    {
        using var store = new LiteDbReplicaStore(dataDir);
        var stored = store.Load();
        return StoredHash.Of(stored) + $" vector={stored.Vector}";
    }
}
