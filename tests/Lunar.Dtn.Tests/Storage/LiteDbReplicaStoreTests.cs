using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Testing;

namespace Lunar.Dtn.Tests.Storage;

public sealed class LiteDbReplicaStoreTests
{
    private static readonly StreamId EarthStatus = new("earth", Channel.Status);
    private static readonly StreamId EarthControl = new("earth", Channel.Control);

    [Fact]
    public void Load_OnANewDirectory_IsEmpty_AndCreatesReplicaDb()
    {
        using var dir = new ScratchDir("store");
        using var store = new LiteDbReplicaStore(dir.Sub("data"));
        var loaded = store.Load();
        Assert.True(loaded.State.IsEmpty);
        Assert.True(loaded.Vector.IsEmpty);
        Assert.Empty(loaded.OwnDeltas);
        Assert.True(File.Exists(Path.Combine(dir.Sub("data"), "replica.db")));
    }

    [Fact]
    public void RoundTrip_LoadReturnsExactlyWhatWasCommitted()
    {
        using var dir = new ScratchDir("store");
        using var store = new LiteDbReplicaStore(dir.Path);
        var commit = SampleCommit();
        store.Commit(commit);

        AssertLoaded(commit, store.Load());
    }

    [Fact]
    public void ReopenAfterDispose_LoadsTheSameThing()
    {
        using var dir = new ScratchDir("store");
        var commit = SampleCommit();
        using (var store = new LiteDbReplicaStore(dir.Path)) store.Commit(commit);
        using var reopened = new LiteDbReplicaStore(dir.Path);
        AssertLoaded(commit, reopened.Load());
    }

    [Fact]
    public void Fold_RemovesOwnDeltasOfThatStreamUpToTheSeq_AndNothingElse()
    {
        using var dir = new ScratchDir("store");
        using var store = new LiteDbReplicaStore(dir.Path);
        var add = new ReplicaCommit();
        for (var seq = 1; seq <= 12; seq++) add.AddedOwnDeltas.Add(DeltaOf(EarthStatus, seq));
        for (var seq = 1; seq <= 3; seq++) add.AddedOwnDeltas.Add(DeltaOf(EarthControl, seq));
        // An origin whose id extends "earth": its keys must not fall into earth's range.
        for (var seq = 1; seq <= 4; seq++) add.AddedOwnDeltas.Add(DeltaOf(new StreamId("earth2", Channel.Status), seq));
        store.Commit(add);

        var fold = new ReplicaCommit();
        fold.FoldOwnDeltasUpTo[EarthStatus] = 10;
        store.Commit(fold);

        var left = store.Load().OwnDeltas.Select(d => d.Dot.ToString()).Order(StringComparer.Ordinal).ToArray();
        var expected = new[] { "earth/status:11", "earth/status:12", "earth/control:1", "earth/control:2", "earth/control:3",
            "earth2/status:1", "earth2/status:2", "earth2/status:3", "earth2/status:4" }.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, left);
    }

    [Fact]
    public void RecordKeysDifferingOnlyInCase_AreTwoRecords()
    {
        using var dir = new ScratchDir("store");
        using var store = new LiteDbReplicaStore(dir.Path);
        var commit = new ReplicaCommit();
        commit.Records.Servers["Srv-1"] = new ServerRecord(null, Status(1), null);
        commit.Records.Servers["srv-1"] = new ServerRecord(null, Status(2), null);
        store.Commit(commit);
        Assert.Equal(["Srv-1", "srv-1"], store.Load().State.Servers.Keys);
    }

    [Fact]
    public void IntervalAddedAndRemovedInOneCommit_IsGone_InBothStores()
    {
        // Regression: the memory store removed before adding, so an interval covered (or folded) in the same
        // commit that brought it came back on reload while the replica had dropped it.
        using var dir = new ScratchDir("store");
        IReplicaStore[] stores = [new MemoryReplicaStore(), new LiteDbReplicaStore(dir.Path)];
        var key = TestConstellation.KeyFor("moon");
        var covered = SignedInterval.Create(new StreamId("moon", Channel.Status), 0, 2, new HlcTimestamp(5), new ReplicaState(), key);
        var covering = SignedInterval.Create(new StreamId("moon", Channel.Status), 0, 4, new HlcTimestamp(9), new ReplicaState(), key);
        foreach (var store in stores)
        {
            var commit = new ReplicaCommit();
            commit.AddedIntervals.AddRange([covered, covering]);
            commit.RemovedIntervals.Add(covered);
            store.Commit(commit);
            Assert.Equal([ReplicaCommit.IntervalKey(covering)], store.Load().Intervals.Select(ReplicaCommit.IntervalKey));
            store.Dispose();
        }
    }

    [Fact]
    public void Replica_RestartedOnTheSameDirectory_HasTheSameStateAndVector()
    {
        using var dir = new ScratchDir("store");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new ReplicaOptions { Id = "earth", Peers = ["moon"] };
        string fingerprint;
        VersionVector vector;
        using (var store = new LiteDbReplicaStore(dir.Path))
        {
            var replica = new Replica(options, TestConstellation.KeyFor("earth"), TestConstellation.Trust(), store, time);
            for (var k = 1; k <= 25; k++) StatusScript.Write(replica, k, 4, audit: true);
            replica.DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("c1", ctx.Stamp, ctx.ReplicaId) });
            (fingerprint, vector) = (replica.Fingerprint(), replica.Vector);
        }
        using var reopened = new LiteDbReplicaStore(dir.Path);
        var again = new Replica(options, TestConstellation.KeyFor("earth"), TestConstellation.Trust(), reopened, time);
        Assert.Equal(fingerprint, again.Fingerprint());
        Assert.Equal(vector, again.Vector);
        Assert.Equal(25, again.Read((s, _) => StatusScript.Done(s)));
        Assert.Equal(52, again.LogSize().OwnDeltas); // 25 statuses + 25 audits + definition + its audit
    }

    private static ServerStatus Status(long seq) => new("c", 1, seq, UpgradePhase.Queued, 0, null, null, 0);

    private static Delta DeltaOf(StreamId stream, long seq)
    {
        var fragment = new ReplicaState();
        fragment.Servers[$"s{seq}"] = new ServerRecord(null, Status(seq), null);
        return new Delta(new Dot(stream.Origin, stream.Channel, seq), new HlcTimestamp(seq), fragment);
    }

    private static ReplicaCommit SampleCommit()
    {
        var commit = new ReplicaCommit();
        commit.Records.Servers["srv-1"] = new ServerRecord(null, Status(3), new LwwRegister<string>("hot", new HlcTimestamp(4), "moon"));
        commit.Records.Audit["earth:000000000001"] = new AuditEntry("earth", 1, 7, "alice", "campaign-defined", "campaign c1", AuditEntry.GenesisHash);
        commit.Records.Artifacts["a1"] = new ArtifactRecord("a1", "fw", "1.2", new string('a', 64), 42, "alice", 5);
        commit.AddedOwnDeltas.Add(DeltaOf(EarthStatus, 1));
        commit.AddedOwnDeltas.Add(DeltaOf(EarthStatus, 2));
        commit.AddedIntervals.Add(SignedInterval.Create(new StreamId("moon", Channel.Status), 0, 3, new HlcTimestamp(9), new ReplicaState(), TestConstellation.KeyFor("moon")));
        commit.Vector = VersionVector.Empty.With(EarthStatus, 2).With(new StreamId("moon", Channel.Status), 3);
        commit.PeerAcks["moon"] = VersionVector.Empty.With(EarthStatus, 1);
        commit.Counters["fold:Status"] = 1;
        return commit;
    }

    private static void AssertLoaded(ReplicaCommit commit, StoredReplica loaded)
    {
        Assert.Equal(commit.Records.ToBytes(), loaded.State.ToBytes());
        Assert.Equal(commit.Vector, loaded.Vector);
        Assert.Equal(commit.AddedOwnDeltas.Select(Serialization.Serialize), loaded.OwnDeltas.OrderBy(d => d.Dot).Select(Serialization.Serialize));
        Assert.Equal(commit.AddedIntervals.Select(Serialization.Serialize), loaded.Intervals.Select(Serialization.Serialize));
        Assert.Equal(commit.PeerAcks["moon"], loaded.PeerAcks["moon"]);
        Assert.Equal(commit.Counters, loaded.Counters);
    }
}
