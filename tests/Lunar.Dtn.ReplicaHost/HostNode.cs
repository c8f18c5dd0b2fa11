using Lunar.Dtn.Links;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Testing;

namespace Lunar.Dtn.ReplicaHost;

/// <summary>
/// A replica over a LiteDB store in the data directory, synced with one peer through a file drop, with the
/// real clock. Everything the tests wait for is printed as one line: ready, wrote k, written n, applied,
/// acked, delivered, dropped, state.
/// </summary>
internal sealed class HostNode : IDisposable
{
    private static readonly TimeSpan StateDebounce = TimeSpan.FromMilliseconds(100);
    private readonly HostArgs _args;
    private readonly LiteDbReplicaStore _store;
    private readonly Replica _replica;
    private readonly FileDropLink _link;
    private readonly PeerSync _sync;
    private readonly Lock _stateGate = new();
    private ITimer? _stateTimer;

    public HostNode(HostArgs args)
    {
        _args = args;
        var time = TimeProvider.System;
        _store = new LiteDbReplicaStore(args.DataDir);
        var options = new ReplicaOptions
        {
            Id = args.Id,
            Peers = [args.Peer],
            TargetBundleBytes = args.BundleBytes,
            MaxDeltasPerInterval = args.IntervalDeltas,
        };
        _replica = new Replica(options, TestConstellation.KeyFor(args.Id), TestConstellation.Trust(args.Id, args.Peer), _store, time);
        _link = new FileDropLink(args.DropDir, args.Id, args.Peer, time, new FileDropOptions { PollInterval = TimeSpan.FromMilliseconds(args.PollMs) });
        _sync = new PeerSync(_replica, _link, new SyncOptions
        {
            // Push every change quickly: these tests kill processes in the middle of a stream of small bundles.
            BatchDelay = TimeSpan.FromMilliseconds(20),
            StatusBatchDelay = TimeSpan.FromMilliseconds(20),
            AckDelay = TimeSpan.FromMilliseconds(10),
            InitialRetransmit = TimeSpan.FromMilliseconds(args.RetransmitMs),
            MinRetransmit = TimeSpan.FromMilliseconds(200),
            MaxRetransmit = TimeSpan.FromMilliseconds(args.MaxRetransmitMs),
        });
        _sync.Outcome += OnOutcome;
        _link.Delivered += name => HostOutput.Line("delivered " + name);
        _link.Dropped += name => HostOutput.Line("dropped " + name);
        _link.Faulted += (name, ex) => HostOutput.Line($"fault {name} {ex.GetType().Name}: {ex.Message}");
        _replica.Changed += OnChanged;
    }

    public void Start()
    {
        var (total, vector, done) = _replica.Read((s, v) => (v.Total, StatusScript.Format(v), StatusScript.Done(s)));
        HostOutput.Line($"ready total={total} vector={vector} acked={StatusScript.Format(_replica.AckedBy(_args.Peer))} done={done}");
        _link.Start();
    }

    /// <summary>Writes the remaining status changes, one Replica.Write each, resuming after what is durable.</summary>
    public void WriteScript()
    {
        if (_args.WriteStatus <= 0) return;
        var done = _replica.Read((s, _) => StatusScript.Done(s));
        for (var k = done + 1; k <= _args.WriteStatus; k++)
        {
            StatusScript.Write(_replica, k, _args.Servers, _args.Audit);
            HostOutput.Line($"wrote {k}");
        }
        HostOutput.Line($"written {_args.WriteStatus}");
        PrintState();
    }

    public void PrintState()
    {
        var line = _replica.Read((s, v) =>
            $"state total={v.Total} vector={StatusScript.Format(v)} fp={s.Fingerprint()} servers={StatusScript.ServersHash(s)} " +
            $"done={StatusScript.Done(s)} audit={s.Audit.Count} chain={(StatusScript.AuditChainsHold(s) ? "ok" : "broken")}");
        HostOutput.Line(line + $" acked={StatusScript.Format(_replica.AckedBy(_args.Peer))}");
    }

    private void OnOutcome(ReceiveOutcome o)
    {
        switch (o.Status)
        {
            case ReceiveStatus.Applied: HostOutput.Line($"applied {o.DeltasApplied} total={_replica.Vector.Total}"); break;
            case ReceiveStatus.Rejected: HostOutput.Line($"rejected {o.Rejection}"); break;
            case ReceiveStatus.Held: HostOutput.Line("held"); break;
            case ReceiveStatus.Duplicate: break;
        }
        if (o.PeerAckAdvanced) HostOutput.Line($"acked {StatusScript.Format(_replica.AckedBy(_args.Peer))}");
    }

    /// <summary>A state line once changes pause briefly: one per burst, not one per delta.</summary>
    private void OnChanged()
    {
        lock (_stateGate)
        {
            if (_stateTimer is not null) return;
            _stateTimer = TimeProvider.System.CreateTimer(_ =>
            {
                lock (_stateGate)
                {
                    _stateTimer?.Dispose();
                    _stateTimer = null;
                }
                PrintState();
            }, null, StateDebounce, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _sync.Dispose();
        _link.Dispose();
        lock (_stateGate) _stateTimer?.Dispose();
        _store.Dispose();
    }
}
