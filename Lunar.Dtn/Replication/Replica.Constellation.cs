using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Replication;

public sealed partial class Replica
{
    /// <summary>Constellation versions this replica holds (replicated records), in version order.</summary>
    public IReadOnlyList<int> ConstellationVersionsHeld
    {
        get { lock (_gate) return _state.Constellations.Values.Select(c => c.Version).ToArray(); }
    }

    /// <summary>
    /// Records a new constellation version here (written on the control channel, so it replicates like any
    /// record) and adopts it, if it is the next valid link of the chain from the version in force. Checked and
    /// written under one lock: two submissions cannot both pass as the same next version.
    /// </summary>
    public ConstellationOutcome RecordConstellation(Constellation constellation, string actor)
    {
        lock (_gate)
        {
            EnsureHealthy();
            var record = ConstellationChain.ToRecord(constellation);
            if (FragmentRules.CheckConstellations([record], _state.Constellations, _trust.Source) is { } problem) return new(false, problem);
            if (constellation.Version <= _trust.Version || _state.Constellations.ContainsKey(record.MapKey)) return new(false, null);
            var commit = new ReplicaCommit();
            WriteDelta(Channel.Control, _ =>
            {
                var fragment = new ReplicaState();
                fragment.Constellations[record.MapKey] = record;
                return fragment;
            }, commit);
            AppendAudit(new AuditNote(actor, "constellation-recorded",
                $"constellation version {constellation.Version}, root {constellation.Root[..16]}, signed by {constellation.Signer[..16]}"), commit);
            AdoptConstellations(commit);
            CommitOrFault(commit);
        }
        Changed?.Invoke();
        return new(true, null);
    }

    /// <summary>
    /// After a merge brought constellation records: walks from the version in force through consecutive valid
    /// held versions and adopts the last one, noting it in this replica's audit log. Never goes back.
    /// </summary>
    private void AdoptConstellations(ReplicaCommit commit)
    {
        var next = ConstellationChain.Advance(_trust.Source, _state.Constellations);
        if (next is null || next.Version <= _trust.Version) return;
        var was = _trust.Version;
        _trust = next.ToTrustStore();
        AppendAudit(new AuditNote(Id, "constellation-adopted",
            $"constellation version {next.Version} in force (was {was}): root {next.Root[..16]}, {next.Nodes.Count} nodes, " +
            $"{next.Approvers.Count} approvers, {next.RevokedKeys.Count} revoked keys"), commit);
    }
}
