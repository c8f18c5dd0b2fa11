using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Model;

/// <summary>ReplicaState.MergeFrom tells a changed server record by value equality; that must agree with the canonical bytes.</summary>
public sealed class ServerRecordEqualityTests
{
    private static ServerRecord Record(long sinceMs = 5, string? version = "2.4.1", string? note = "hold", long noteStamp = 9, string cluster = "rack-001") =>
        new(new ServerInventory { Cluster = new(cluster, new HlcTimestamp(3), "moon"), Tier = new(1, new HlcTimestamp(3), "moon") },
            new ServerStatus("camp-1", 1, 7, UpgradePhase.Complete, sinceMs, version, null, 0),
            note is null ? null : new LwwRegister<string>(note, new HlcTimestamp(noteStamp), "earth"));

    public static TheoryData<ServerRecord> Variants => new()
    {
        Record(sinceMs: 6), Record(version: null), Record(version: "2.4.2"), Record(note: null), Record(note: "other"),
        Record(noteStamp: 10), Record(cluster: "rack-002"),
    };

    [Fact]
    public void EqualRecords_BuiltSeparately_AreEqual_AndSerialiseAlike()
    {
        var (a, b) = (Record(), Record());
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(Serialization.Serialize(a), Serialization.Serialize(b));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void RecordsDifferingInAnyField_AreUnequal_AndSerialiseDifferently(ServerRecord other)
    {
        Assert.NotEqual(Record(), other);
        Assert.NotEqual(Serialization.Serialize(Record()), Serialization.Serialize(other));
    }

    [Fact]
    public void Merge_ReportsOnlyRecordsWhoseValueChanged()
    {
        var state = new ReplicaState();
        state.Servers["s1"] = Record();
        state.Servers["s2"] = Record();
        var incoming = new ReplicaState();
        incoming.Servers["s1"] = Record();            // the same value, another instance: unchanged
        incoming.Servers["s2"] = Record(noteStamp: 10); // a later note: changed
        incoming.Servers["s3"] = Record();            // new

        var report = state.MergeFrom(incoming);

        Assert.Equal(["s2", "s3"], report.Servers);
        Assert.Equal(10, state.Servers["s2"].Note!.Stamp.Value);
    }
}
