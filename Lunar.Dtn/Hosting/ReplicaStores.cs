using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Hosting;

/// <summary>Opens the durable store of a node's data folder (LiteDB, replica.db).</summary>
public static class ReplicaStores
{
    public static IReplicaStore Open(string dataDir) => new LiteDbReplicaStore(dataDir);
}
