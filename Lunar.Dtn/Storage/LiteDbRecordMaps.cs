using Lunar.Dtn.Crdt;
using Lunar.Dtn.Replication;
using LiteDB;

namespace Lunar.Dtn.Storage;

/// <summary>
/// The record maps of a <see cref="ReplicaState"/>, one LiteDB collection each: one document per
/// record key, holding the record's MessagePack bytes (the same encoding as the wire, so the store never
/// needs a second mapping of the model).
/// </summary>
internal static class LiteDbRecordMaps
{
    internal const string Value = "v";

    public static void Upsert(ILiteDatabase db, ReplicaState records)
    {
        Upsert(db, "rec_campaigns", records.Campaigns);
        Upsert(db, "rec_artifacts", records.Artifacts);
        Upsert(db, "rec_approvals", records.Approvals);
        Upsert(db, "rec_revocations", records.Revocations);
        Upsert(db, "rec_servers", records.Servers);
        Upsert(db, "rec_audit", records.Audit);
        Upsert(db, "rec_constellations", records.Constellations);
    }

    public static ReplicaState Load(ILiteDatabase db)
    {
        var state = new ReplicaState();
        Load(db, "rec_campaigns", state.Campaigns);
        Load(db, "rec_artifacts", state.Artifacts);
        Load(db, "rec_approvals", state.Approvals);
        Load(db, "rec_revocations", state.Revocations);
        Load(db, "rec_servers", state.Servers);
        Load(db, "rec_audit", state.Audit);
        Load(db, "rec_constellations", state.Constellations);
        return state;
    }

    public static BsonDocument Doc(string id, byte[] value) => new() { ["_id"] = id, [Value] = value };

    private static void Upsert<T>(ILiteDatabase db, string collection, SortedDictionary<string, T> records)
    {
        if (records.Count == 0) return;
        // A commit holds the merged value of every changed record, so overwriting is exact: no read needed.
        db.GetCollection(collection).Upsert(records.Select(kv => Doc(kv.Key, Serialization.Serialize(kv.Value))));
    }

    private static void Load<T>(ILiteDatabase db, string collection, SortedDictionary<string, T> into)
    {
        foreach (var doc in db.GetCollection(collection).FindAll())
            into[doc["_id"].AsString] = Serialization.Deserialize<T>(doc[Value].AsBinary);
    }
}
