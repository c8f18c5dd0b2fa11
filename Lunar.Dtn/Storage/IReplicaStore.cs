namespace Lunar.Dtn.Storage;

/// <summary>
/// Durable home of one replica: its state records, its own delta log, the signed intervals it keeps for
/// forwarding, its version vector and its peers' acknowledged vectors.
/// <see cref="Commit"/> is atomic and durable when it returns: a replica acknowledges nothing before that.
/// </summary>
public interface IReplicaStore : IDisposable
{
    /// <summary>Everything committed so far (empty on first use).</summary>
    StoredReplica Load();

    /// <summary>Applies one change set atomically and makes it durable (survives kill -9) before returning.</summary>
    void Commit(ReplicaCommit commit);
}
