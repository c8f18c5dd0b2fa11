using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// Plays a script over 2–4 replicas, each writing from its own partial view (as the real replica does:
/// a control write supersedes only what its author had seen) and receiving deltas or whole states in
/// any order. Each replica stamps with its own hybrid logical clock on one shared fake clock that often
/// stands still, so two replicas writing in the same millisecond without news of each other tie exactly.
/// Pools are tiny on purpose: two campaigns, two servers, and most definition writes go to the name.
/// </summary>
public sealed class ReplicaSimulation
{
    public static readonly string[] ReplicaPool = ["earth", "moon", "tier1-a", "tier1-b"];
    public static readonly string[] CampaignIds = ["c1", "c2"];
    public static readonly string[] ServerIds = ["s1", "s2"];
    private static readonly string[] ArtifactIds = ["a1", "a2"];
    private static readonly string[] ApprovalIds = ["p1", "p2", "p3"];

    private readonly string[] _ids;
    private readonly ReplicaState[] _views;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private readonly HybridLogicalClock[] _clocks;
    private readonly HlcTimestamp[] _maxSeen;
    private readonly Dictionary<StreamId, long> _seq = [];
    private readonly Dictionary<string, (long Index, string Head)> _audit = [];
    private readonly List<SimDelta> _deltas = [];
    private readonly List<LwwWrite> _lww = [];
    private readonly List<StatusWrite> _status = [];

    private ReplicaSimulation(int replicaCount)
    {
        _ids = ReplicaPool[..replicaCount];
        _views = _ids.Select(_ => new ReplicaState()).ToArray();
        _clocks = _ids.Select(_ => new HybridLogicalClock(_time)).ToArray();
        _maxSeen = new HlcTimestamp[replicaCount];
    }

    public static Scenario Run(int replicaCount, IReadOnlyList<SimOp> ops)
    {
        var sim = new ReplicaSimulation(replicaCount);
        foreach (var op in ops) sim.Apply(op);
        return new Scenario(sim._ids, ops, sim._deltas, sim._views, sim._lww, sim._status);
    }

    private void Apply(SimOp op)
    {
        var r = op.Replica % _ids.Length;
        _time.Advance(TimeSpan.FromMilliseconds(op.Wall));
        switch (op.Kind)
        {
            case SimOpKind.Deliver:
                if (_deltas.Count == 0) break;
                var delta = _deltas[op.Other % _deltas.Count];
                _views[r].MergeFrom(delta.Fragment);
                Observe(r, delta.Stamp);
                break;
            case SimOpKind.SyncFrom:
                var from = (r + 1 + op.Key) % _ids.Length;
                if (from == r) break;
                _views[r].MergeFrom(_views[from]);
                Observe(r, _maxSeen[from]);
                break;
            default:
                Write(r, op);
                break;
        }
    }

    private void Write(int r, SimOp op)
    {
        var writer = _ids[r];
        var channel = op.Kind is SimOpKind.SetInventory or SimOpKind.SetStatus or SimOpKind.SetNote ? Channel.Status : Channel.Control;
        var stream = new StreamId(writer, channel);
        var dot = new Dot(writer, channel, _seq[stream] = _seq.GetValueOrDefault(stream) + 1);
        var stamp = _clocks[r].Now();
        Observe(r, stamp);
        var fragment = new ReplicaState();
        var key = Fill(fragment, _views[r], op, writer, dot, stamp);
        if (op.Other % 2 == 0) AppendAudit(fragment, writer, op.Kind, stamp);
        _views[r].MergeFrom(fragment);
        _deltas.Add(new SimDelta(dot, op.Kind, key, stamp, fragment));
    }

    private void Observe(int r, HlcTimestamp stamp)
    {
        _clocks[r].Observe(stamp);
        if (stamp > _maxSeen[r]) _maxSeen[r] = stamp;
    }

    private string Fill(ReplicaState f, ReplicaState view, SimOp op, string writer, Dot dot, HlcTimestamp stamp)
    {
        var v = op.Value;
        switch (op.Kind)
        {
            case SimOpKind.DefineField:
            {
                var id = CampaignIds[op.Key % CampaignIds.Length];
                f.Campaigns[id] = new CampaignRecord(DefineField(id, op.Other % 16 < 10 ? 0 : op.Other % 8, v, stamp, writer), null, false);
                return id;
            }
            case SimOpKind.Control:
            {
                var id = CampaignIds[op.Key % CampaignIds.Length];
                var control = v % 20 < 9 ? CampaignControl.Run : v % 20 < 17 ? CampaignControl.Pause : CampaignControl.Cancel;
                view.Campaigns.TryGetValue(id, out var current);
                var register = MultiValueRegister<CampaignControl>.Write(current?.Control, dot, control, stamp);
                f.Campaigns[id] = new CampaignRecord(null, register, control == CampaignControl.Cancel);
                return id;
            }
            case SimOpKind.RegisterArtifact:
            {
                var id = ArtifactIds[op.Key % ArtifactIds.Length];
                f.Artifacts[id] = new ArtifactRecord(id, "firmware", "1." + id, "sha-" + id, 1000 + v % 2, writer, op.Wall);
                return id;
            }
            case SimOpKind.Approve:
            {
                var id = ApprovalIds[op.Key % ApprovalIds.Length];
                f.Approvals[id] = new ApprovalRecord(id, "c1", "hash" + v % 2, (ApprovalDecision)(v % 2), writer, "lead", op.Wall,
                    [(byte)(op.Key % 3), (byte)(v % 2)]);
                return id;
            }
            case SimOpKind.Revoke:
            {
                var id = "r" + (1 + op.Key % 2);
                f.Revocations[id] = new ApprovalRevocation(id, ApprovalIds[v % ApprovalIds.Length], writer, op.Wall, "reason-" + v % 2);
                return id;
            }
            case SimOpKind.RecordConstellation:
            {
                // Record merge laws only: the bytes need not be a signed constellation (the chain is checked at receipt).
                var record = new ConstellationRecord(2 + op.Key % 2, System.Text.Encoding.UTF8.GetBytes($"{{\"version\":{2 + op.Key % 2},\"by\":\"{writer}\",\"v\":{v % 2}}}"));
                f.Constellations[record.MapKey] = record;
                return record.MapKey;
            }
            case SimOpKind.SetInventory:
            {
                var id = ServerIds[op.Key % ServerIds.Length];
                f.Servers[id] = new ServerRecord(InventoryField(id, op.Other % 4, v, stamp, writer), null, null);
                return id;
            }
            case SimOpKind.SetStatus:
            {
                var id = ServerIds[op.Key % ServerIds.Length];
                view.Servers.TryGetValue(id, out var current);
                var status = NextStatus(current?.Status, op, writer);
                _status.Add(new StatusWrite(id, writer, status.Attempt, status.Seq, Convert.ToHexString(Canon.Bytes(status))));
                f.Servers[id] = new ServerRecord(null, status, null);
                return id;
            }
            case SimOpKind.SetNote:
            {
                var id = ServerIds[op.Key % ServerIds.Length];
                f.Servers[id] = new ServerRecord(null, null, Lww($"server/{id}/note", "note-" + v % 3, stamp, writer));
                return id;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "not a write");
        }
    }

    private CampaignDefinition DefineField(string id, int field, int v, HlcTimestamp stamp, string writer)
    {
        var register = $"campaign/{id}/{field}";
        return field switch
        {
            0 => new() { Name = Lww(register, new[] { "alpha", "beta", "gamma" }[v % 3], stamp, writer) },
            1 => new() { ArtifactId = Lww(register, ArtifactIds[v % 2], stamp, writer) },
            2 => new() { Selector = Lww(register, new CampaignSelector(v % 2 == 0 ? [] : ["site-" + v % 3], [], v % 3 == 0 ? [] : [v % 3]), stamp, writer) },
            3 => new() { BatchSize = Lww(register, 1 + v % 3, stamp, writer) },
            4 => new() { ConcurrencyLimit = Lww(register, 1 + v % 2, stamp, writer) },
            5 => new() { PauseOnAnomaly = Lww(register, v % 3 == 0 ? null : new AnomalyPolicy(v % 3 == 1 ? 0.1 : 0.25, 10), stamp, writer) },
            6 => new() { Tier2Windows = Lww<IReadOnlyList<MaintenanceWindow>>(register, v % 3 == 0 ? [] : [new MaintenanceWindow("22:00", v % 3 == 1 ? "02:00" : "04:00")], stamp, writer) },
            _ => new() { ApprovalRequired = Lww(register, v % 2 == 0, stamp, writer) },
        };
    }

    private ServerInventory InventoryField(string id, int field, int v, HlcTimestamp stamp, string writer)
    {
        var register = $"server/{id}/{field}";
        return field switch
        {
            0 => new() { Hostname = Lww(register, "host-" + v % 2, stamp, writer) },
            1 => new() { Site = Lww(register, "site-" + v % 3, stamp, writer) },
            2 => new() { Tier = Lww(register, v % 3, stamp, writer) },
            _ => new() { OwnerNode = Lww(register, _ids[v % _ids.Length], stamp, writer) },
        };
    }

    /// <summary>As the owning executor does: the next sequence number after the status it sees; sometimes a new attempt.</summary>
    private static ServerStatus NextStatus(ServerStatus? current, SimOp op, string writer)
    {
        var attempt = (current?.Attempt ?? 1) + (op.Other % 7 == 0 ? 1 : 0);
        var seq = (current?.Seq ?? 0) + 1;
        var phase = (UpgradePhase)(op.Value % 13);
        return new ServerStatus("c1", attempt, seq, phase, op.Wall, phase == UpgradePhase.Complete ? "1.1" : null, writer, op.Value % 2);
    }

    private LwwRegister<T> Lww<T>(string register, T value, HlcTimestamp stamp, string writer)
    {
        _lww.Add(new LwwWrite(register, stamp, writer, Convert.ToHexString(Canon.Bytes(value))));
        return new LwwRegister<T>(value, stamp, writer);
    }

    private void AppendAudit(ReplicaState f, string writer, SimOpKind kind, HlcTimestamp stamp)
    {
        var (index, head) = _audit.GetValueOrDefault(writer, (0, AuditEntry.GenesisHash));
        var entry = new AuditEntry(writer, index + 1, stamp.Value, writer, kind.ToString(), "", head);
        _audit[writer] = (entry.Index, entry.Hash());
        f.Audit[entry.Key] = entry;
    }
}
