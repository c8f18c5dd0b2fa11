using System.Globalization;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using LiteDB;

namespace Lunar.Dtn.Storage;

/// <summary>
/// A replica's store in one LiteDB file, <c>dataDir/replica.db</c>. Every <see cref="Commit"/> is one LiteDB
/// transaction followed by a checkpoint, so it is on disk before the replica acknowledges anything.
/// </summary>
/// <remarks>
/// Why the checkpoint: LiteDB 5.0.21 writes a committed transaction into its log file (replica-log.db)
/// with plain writes and never fsyncs that log; only a checkpoint copies the pages into the data file
/// and fsyncs it (then truncates the log). A checkpoint per commit therefore makes every commit durable
/// before it returns, and was measured cheaper than fsyncing the growing log through a second handle
/// (the data file is rewritten in place, so its fsync flushes no metadata). A kill -9 at any point finds
/// either the confirmed transaction in the log (replayed on open) or the data file already holding it.
/// </remarks>
public sealed class LiteDbReplicaStore : IReplicaStore
{
    public const string FileName = "replica.db";

    private const string OwnDeltas = "own_deltas";
    private const string Intervals = "intervals";
    private const string PeerAcks = "peer_acks";
    private const string Counters = "counters";
    private const string Meta = "meta";
    private const string VectorId = "vector";

    private readonly Lock _gate = new();
    private readonly LiteDatabase _db;
    private bool _disposed;

    public LiteDbReplicaStore(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        Path = System.IO.Path.Combine(dataDir, FileName);
        _db = new LiteDatabase(new ConnectionString
        {
            Filename = Path,
            Connection = ConnectionType.Direct,
            // Record keys are case-sensitive ids: the default collation (current culture, IgnoreCase) would
            // merge "Srv-1" and "srv-1" into one document. Ordinal also keeps own-delta key ranges exact.
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        });
        // We checkpoint after every commit ourselves; LiteDB's size-triggered one would only add a pause.
        _db.CheckpointSize = 0;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Commits made through this instance (for tests and metrics).</summary>
    public int Commits { get; private set; }

    public StoredReplica Load()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var vectorDoc = _db.GetCollection(Meta).FindById(VectorId);
            return new StoredReplica(
                LiteDbRecordMaps.Load(_db),
                vectorDoc is null ? VersionVector.Empty : Serialization.Deserialize<VersionVector>(vectorDoc[LiteDbRecordMaps.Value].AsBinary),
                _db.GetCollection(OwnDeltas).FindAll().Select(d => Serialization.Deserialize<Delta>(d[LiteDbRecordMaps.Value].AsBinary)).ToArray(),
                _db.GetCollection(Intervals).FindAll().Select(d => Serialization.Deserialize<SignedInterval>(d[LiteDbRecordMaps.Value].AsBinary)).ToArray(),
                _db.GetCollection(PeerAcks).FindAll().ToDictionary(d => d["_id"].AsString,
                    d => Serialization.Deserialize<VersionVector>(d[LiteDbRecordMaps.Value].AsBinary), StringComparer.Ordinal),
                _db.GetCollection(Counters).FindAll().ToDictionary(d => d["_id"].AsString, d => d[LiteDbRecordMaps.Value].AsInt64, StringComparer.Ordinal));
        }
    }

    public void Commit(ReplicaCommit commit)
    {
        if (commit.IsEmpty) return;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // LiteDB binds a transaction to the calling thread; the lock keeps one commit at a time.
            _db.BeginTrans();
            try
            {
                Write(commit);
                if (!_db.Commit()) throw new InvalidOperationException("LiteDB had no transaction to commit");
            }
            catch
            {
                TryRollback();
                throw;
            }
            _db.Checkpoint();
            Commits++;
        }
    }

    private void Write(ReplicaCommit commit)
    {
        LiteDbRecordMaps.Upsert(_db, commit.Records);

        var own = _db.GetCollection(OwnDeltas);
        if (commit.AddedOwnDeltas.Count > 0)
            own.Upsert(commit.AddedOwnDeltas.Select(d => LiteDbRecordMaps.Doc(OwnDeltaKey(d.Dot.Stream, d.Dot.Seq), Serialization.Serialize(d))));
        foreach (var (stream, upTo) in commit.FoldOwnDeltasUpTo)
            own.DeleteMany(BsonExpression.Create("_id >= @0 AND _id <= @1", OwnDeltaKey(stream, 0), OwnDeltaKey(stream, upTo)));

        // Within one commit an interval is only ever removed after it was added (covered by a later one,
        // or folded), never re-added after removal: so removals win over additions of the same key.
        var intervals = _db.GetCollection(Intervals);
        var removed = commit.RemovedIntervals.Select(ReplicaCommit.IntervalKey).ToHashSet(StringComparer.Ordinal);
        var added = commit.AddedIntervals.Where(i => !removed.Contains(ReplicaCommit.IntervalKey(i))).ToArray();
        if (added.Length > 0)
            intervals.Upsert(added.Select(i => LiteDbRecordMaps.Doc(ReplicaCommit.IntervalKey(i), Serialization.Serialize(i))));
        foreach (var key in removed) intervals.Delete(key);

        if (commit.Vector is not null)
            _db.GetCollection(Meta).Upsert(LiteDbRecordMaps.Doc(VectorId, Serialization.Serialize(commit.Vector)));
        if (commit.PeerAcks.Count > 0)
            _db.GetCollection(PeerAcks).Upsert(commit.PeerAcks.Select(kv => LiteDbRecordMaps.Doc(kv.Key, Serialization.Serialize(kv.Value))));
        if (commit.Counters.Count > 0)
            _db.GetCollection(Counters).Upsert(commit.Counters.Select(kv => new BsonDocument { ["_id"] = kv.Key, [LiteDbRecordMaps.Value] = kv.Value }));
    }

    /// <summary>Fixed-width sequence numbers make a stream's deltas one ordinal key range.</summary>
    private static string OwnDeltaKey(StreamId stream, long seq) =>
        $"{stream.Origin}/{(byte)stream.Channel:D3}/{seq:D19}";

    private void TryRollback()
    {
        try { _db.Rollback(); }
        catch (LiteException) { /* the original failure is the one worth reporting */ }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
        }
    }
}
