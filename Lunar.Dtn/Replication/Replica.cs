using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Replication;

/// <summary>
/// One full replica of the orchestrator state. Local writes become signed-on-demand deltas in the
/// replica's own streams; remote intervals are verified, merged, kept for forwarding and acknowledged
/// only once durable. All public members are thread-safe; none blocks on the network.
/// </summary>
public sealed partial class Replica
{
    private readonly Lock _gate = new();
    private readonly ReplicaOptions _options;
    private readonly NodeKey _key;
    private readonly IReplicaStore _store;
    private readonly TimeProvider _time;
    private readonly HybridLogicalClock _clock;
    private TrustStore _trust;
    private readonly ReplicaState _state;
    private VersionVector _vector;
    private readonly Dictionary<StreamId, SortedList<long, Delta>> _own = [];
    private readonly Dictionary<StreamId, long> _ownFoldedUpTo = [];
    private readonly Dictionary<StreamId, List<SignedInterval>> _intervals = [];
    private readonly Dictionary<StreamId, SortedList<long, SignedInterval>> _pending = [];
    private readonly Dictionary<string, VersionVector> _peerAcks = new(StringComparer.Ordinal);
    private long _bundleSeq;
    private bool _faulted;
    private AuditEntry? _auditHead;

    public Replica(ReplicaOptions options, NodeKey key, TrustStore trust, IReplicaStore store, TimeProvider time)
    {
        if (key.Id != options.Id) throw new ArgumentException($"key is for '{key.Id}', replica is '{options.Id}'", nameof(key));
        _options = options;
        _key = key;
        _trust = trust;
        _store = store;
        _time = time;

        var stored = store.Load();
        _state = stored.State;
        _vector = stored.Vector;
        foreach (var d in stored.OwnDeltas) OwnLog(d.Dot.Stream).Add(d.Dot.Seq, d);
        foreach (var i in stored.Intervals) KeepInterval(i, commit: null);
        foreach (var (peer, v) in stored.PeerAcks) _peerAcks[peer] = v;
        foreach (var (k, v) in stored.Counters)
            if (k.StartsWith(FoldCounterPrefix, StringComparison.Ordinal) && Enum.TryParse<Channel>(k[FoldCounterPrefix.Length..], out var ch))
                _ownFoldedUpTo[new StreamId(Id, ch)] = v;
        // A store may hold newer constellation versions than the file this replica was started with: adopt them.
        if (ConstellationChain.Advance(trust.Source, _state.Constellations) is { } held && held.Version > trust.Version) _trust = held.ToTrustStore();
        _auditHead = _state.Audit.Values.Where(a => a.Replica == Id).MaxBy(a => a.Index);
        var maxStamp = _auditHead?.Stamp ?? 0;
        maxStamp = Math.Max(maxStamp, _own.Values.SelectMany(l => l.Values).Select(d => d.Stamp.Value).DefaultIfEmpty(0).Max());
        _clock = new HybridLogicalClock(time, new HlcTimestamp(maxStamp));
        // Bundle sequence numbers only identify bundles in logs; seeding them from the clock keeps them
        // increasing across restarts without a write per bundle.
        _bundleSeq = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    private const string FoldCounterPrefix = "fold:";

    public string Id => _options.Id;

    public NodeKey Key => _key;

    public TimeProvider Time => _time;

    public TrustStore Trust { get { lock (_gate) return _trust; } }

    /// <summary>Raised (outside any lock) after a local write or a merge changed the state.</summary>
    public event Action? Changed;

    public VersionVector Vector { get { lock (_gate) return _vector; } }

    public IReadOnlyList<string> KnownPeers
    {
        get { lock (_gate) return _options.Peers.Union(_peerAcks.Keys).Where(p => p != Id).Distinct().Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>What <paramref name="peer"/> has acknowledged holding (durably, on its side).</summary>
    public VersionVector AckedBy(string peer) { lock (_gate) return _peerAcks.GetValueOrDefault(peer) ?? VersionVector.Empty; }

    /// <summary>Runs <paramref name="read"/> on a consistent view. Do not keep or mutate the state passed in.</summary>
    public T Read<T>(Func<ReplicaState, VersionVector, T> read) { lock (_gate) return read(_state, _vector); }

    /// <summary>Fingerprint of the state: equal on two replicas exactly when their states are identical.</summary>
    public string Fingerprint() { lock (_gate) return _state.Fingerprint(); }

    /// <summary>
    /// Adopts a constellation version given from outside (tests, a reloaded file) when it is not older than the one in
    /// force, then any newer held versions that chain from it.
    /// </summary>
    public void UseTrust(TrustStore trust)
    {
        lock (_gate)
        {
            if (trust.Version < _trust.Version) return;
            _trust = ConstellationChain.Advance(trust.Source, _state.Constellations) is { } held && held.Version > trust.Version ? held.ToTrustStore() : trust;
        }
    }

    public HlcTimestamp Now() => _clock.Now();

    /// <summary>
    /// Applies local changes as new deltas (and, if given, one audit entry), atomically and durably.
    /// Returns the dots written.
    /// </summary>
    public IReadOnlyList<Dot> Write(IReadOnlyList<LocalChange> changes, AuditNote? audit = null)
    {
        List<Dot> dots;
        lock (_gate)
        {
            EnsureHealthy();
            var commit = new ReplicaCommit();
            dots = [];
            foreach (var change in changes) dots.Add(WriteDelta(change.Channel, ctx => change.Build(ctx), commit));
            if (audit is not null) dots.Add(AppendAudit(audit, commit));
            CommitOrFault(commit);
        }
        Changed?.Invoke();
        return dots;
    }

    /// <summary>
    /// Like <see cref="Write"/>, but only if <paramref name="precondition"/> holds on the current state, checked
    /// under the same lock as the write: a decision and the write it leads to are atomic (the scheduler starts a
    /// server only if the campaign is still running at that instant). Null when the precondition failed.
    /// </summary>
    public IReadOnlyList<Dot>? TryWrite(Func<ReplicaState, bool> precondition, IReadOnlyList<LocalChange> changes, AuditNote? audit = null)
    {
        List<Dot> dots;
        lock (_gate)
        {
            EnsureHealthy();
            if (!precondition(_state)) return null;
            var commit = new ReplicaCommit();
            dots = [];
            foreach (var change in changes) dots.Add(WriteDelta(change.Channel, ctx => change.Build(ctx), commit));
            if (audit is not null) dots.Add(AppendAudit(audit, commit));
            CommitOrFault(commit);
        }
        Changed?.Invoke();
        return dots;
    }

    private Dot WriteDelta(Channel channel, Func<ChangeContext, ReplicaState> build, ReplicaCommit commit)
    {
        var stream = new StreamId(Id, channel);
        var dot = new Dot(Id, channel, _vector.Get(stream) + 1);
        var stamp = _clock.Now();
        var fragment = build(new ChangeContext(Id, dot, stamp, _state));
        var report = _state.MergeFrom(fragment);
        CopyChanged(report, commit.Records);
        var delta = new Delta(dot, stamp, fragment);
        OwnLog(stream).Add(dot.Seq, delta);
        commit.AddedOwnDeltas.Add(delta);
        _vector = _vector.With(stream, dot.Seq);
        commit.Vector = _vector;
        return dot;
    }

    private Dot AppendAudit(AuditNote note, ReplicaCommit commit)
    {
        var last = _auditHead;
        return WriteDelta(Channel.Status, ctx =>
        {
            var entry = new AuditEntry(Id, (last?.Index ?? 0) + 1, ctx.Stamp.Value, note.Actor, note.Action, note.Details,
                last?.Hash() ?? AuditEntry.GenesisHash);
            _auditHead = entry;
            var fragment = new ReplicaState();
            fragment.Audit[entry.Key] = entry;
            return fragment;
        }, commit);
    }

    /// <summary>Our own audit entries can also come back from a peer (a store restored from an old backup).</summary>
    private void NoteOwnAudit(MergeReport report)
    {
        foreach (var key in report.Audit)
            if (_state.Audit[key] is { } e && e.Replica == Id && e.Index > (_auditHead?.Index ?? 0)) _auditHead = e;
    }

    private void CopyChanged(MergeReport report, ReplicaState into)
    {
        NoteOwnAudit(report);
        foreach (var k in report.Campaigns) into.Campaigns[k] = _state.Campaigns[k];
        foreach (var k in report.Artifacts) into.Artifacts[k] = _state.Artifacts[k];
        foreach (var k in report.Approvals) into.Approvals[k] = _state.Approvals[k];
        foreach (var k in report.Revocations) into.Revocations[k] = _state.Revocations[k];
        foreach (var k in report.Servers) into.Servers[k] = _state.Servers[k];
        foreach (var k in report.Audit) into.Audit[k] = _state.Audit[k];
        foreach (var k in report.Constellations) into.Constellations[k] = _state.Constellations[k];
    }

    private SortedList<long, Delta> OwnLog(StreamId stream)
    {
        if (!_own.TryGetValue(stream, out var log)) _own[stream] = log = new SortedList<long, Delta>();
        return log;
    }

    private void CommitOrFault(ReplicaCommit commit)
    {
        if (commit.IsEmpty) return;
        try
        {
            _store.Commit(commit);
        }
        catch
        {
            // Memory is ahead of the disk now: refuse all further work; a restart reloads what is durable.
            _faulted = true;
            throw;
        }
    }

    private void EnsureHealthy()
    {
        if (_faulted) throw new InvalidOperationException($"replica {Id} failed to write its store and must be restarted");
    }
}
