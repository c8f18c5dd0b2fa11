using Lunar.Dtn.Storage;

namespace Lunar.Dtn.BundleFiles;

/// <summary>
/// A store that starts from a copy of a replica's committed contents and forgets every commit: the home of the
/// throw-away replica in which an import is rehearsed before anything touches the real one.
/// </summary>
internal sealed class ScratchReplicaStore(StoredReplica copy) : IReplicaStore
{
    public StoredReplica Load() => copy;

    public void Commit(ReplicaCommit commit) { }

    public void Dispose() { }
}
