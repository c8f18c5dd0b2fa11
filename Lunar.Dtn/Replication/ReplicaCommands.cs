using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Replication;

/// <summary>
/// The domain's writes, each as one audited local change. Validation of operator input (unknown ids,
/// illegal transitions) belongs to the caller at the edge; these only build correct fragments.
/// </summary>
public static class ReplicaCommands
{
    public static Dot DefineCampaign(this Replica replica, string campaignId, string actor, Func<ChangeContext, CampaignDefinition> define) =>
        replica.Write([new LocalChange(Channel.Control, ctx => Fragment(f => f.Campaigns[campaignId] = new CampaignRecord(define(ctx), null, false)))],
            new AuditNote(actor, "campaign-defined", $"campaign {campaignId}"))[0];

    /// <summary>Writes run, pause or cancel. The write supersedes every control write this replica has seen.</summary>
    public static Dot Control(this Replica replica, string campaignId, CampaignControl control, string actor, string? reason = null) =>
        replica.Write([new LocalChange(Channel.Control, ctx =>
            {
                ctx.Current.Campaigns.TryGetValue(campaignId, out var current);
                var register = MultiValueRegister<CampaignControl>.Write(current?.Control, ctx.Dot, control, ctx.Stamp);
                return Fragment(f => f.Campaigns[campaignId] = new CampaignRecord(null, register, control == CampaignControl.Cancel));
            })],
            new AuditNote(actor, "campaign-" + control.ToString().ToLowerInvariant(), $"campaign {campaignId}{(reason is null ? "" : ": " + reason)}"))[0];

    public static Dot RegisterArtifact(this Replica replica, ArtifactRecord artifact, string actor) =>
        replica.Write([new LocalChange(Channel.Control, _ => Fragment(f => f.Artifacts[artifact.Id] = artifact))],
            new AuditNote(actor, "artifact-registered", $"{artifact.Name} {artifact.Version} sha256:{artifact.Sha256} ({artifact.SizeBytes} bytes)"))[0];

    public static Dot AddApproval(this Replica replica, ApprovalRecord approval) =>
        replica.Write([new LocalChange(Channel.Control, _ => Fragment(f => f.Approvals[approval.Id] = approval))],
            new AuditNote(approval.ApproverId, "approval-" + approval.Decision.ToString().ToLowerInvariant(),
                $"campaign {approval.CampaignId} as {approval.ApproverRole}, content {approval.ContentHash[..12]}"))[0];

    public static Dot RevokeApproval(this Replica replica, ApprovalRevocation revocation) =>
        replica.Write([new LocalChange(Channel.Control, _ => Fragment(f => f.Revocations[revocation.Id] = revocation))],
            new AuditNote(revocation.RevokedBy, "approval-revoked", $"approval {revocation.ApprovalId}: {revocation.Reason}"))[0];

    /// <summary>Sets inventory fields; only non-null values are written.</summary>
    public static Dot SetInventory(this Replica replica, string serverId, Func<ChangeContext, ServerInventory> inventory, AuditNote? audit = null) =>
        replica.Write([new LocalChange(Channel.Status, ctx => Fragment(f => f.Servers[serverId] = new ServerRecord(inventory(ctx), null, null)))], audit)[0];

    /// <summary>
    /// The owning executor records a server's status. The per-server sequence number is the previous
    /// one plus one, so later writes win and a joined interval keeps only the last.
    /// </summary>
    public static Dot SetStatus(this Replica replica, string serverId, Func<ServerStatus?, long, ServerStatus> next, AuditNote? audit = null) =>
        replica.Write([new LocalChange(Channel.Status, ctx =>
            {
                ctx.Current.Servers.TryGetValue(serverId, out var current);
                var status = next(current?.Status, (current?.Status?.Seq ?? 0) + 1);
                return Fragment(f => f.Servers[serverId] = new ServerRecord(null, status, null));
            })], audit)[0];

    /// <summary>An operator note on a server (any replica may write it; last writer wins).</summary>
    public static Dot SetNote(this Replica replica, string serverId, string note, string actor) =>
        replica.Write([new LocalChange(Channel.Status, ctx =>
            Fragment(f => f.Servers[serverId] = new ServerRecord(null, null, new LwwRegister<string>(note, ctx.Stamp, ctx.ReplicaId))))],
            null)[0];

    public static Dot Audit(this Replica replica, AuditNote note) => replica.Write([], note)[0];

    private static ReplicaState Fragment(Action<ReplicaState> fill)
    {
        var f = new ReplicaState();
        fill(f);
        return f;
    }
}
