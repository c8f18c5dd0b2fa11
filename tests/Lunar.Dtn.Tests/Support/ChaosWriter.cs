using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// Random, well-formed writes as the real nodes make them: campaign definitions, control and approvals on
/// Earth and the Moon, server status and inventory only on the owning executor, notes anywhere.
/// </summary>
public sealed class ChaosWriter(TestNodes nodes, Random random, NodeKey approver, bool tier1)
{
    private static readonly string[] Campaigns = ["c1", "c2", "c3", "c4"];

    private string[] Nodes => tier1 ? ["earth", "moon", "tier1"] : ["earth", "moon"];

    private string Owner(string server) => server.StartsWith("t-", StringComparison.Ordinal) ? "tier1" : "moon";

    private string[] Servers => tier1 ? ["m-1", "m-2", "m-3", "t-1", "t-2", "t-3"] : ["m-1", "m-2", "m-3"];

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public void WriteSomething()
    {
        var campaign = Pick(Campaigns);
        var server = Pick(Servers);
        var planner = random.Next(2) == 0 ? "earth" : "moon";
        switch (random.Next(8))
        {
            case 0:
            case 1:
                var name = $"n{random.Next(1000)}";
                var batch = random.Next(1, 50);
                nodes[planner].DefineCampaign(campaign, planner + "-op", ctx => new CampaignDefinition
                {
                    Name = new(name, ctx.Stamp, ctx.ReplicaId),
                    BatchSize = new(batch, ctx.Stamp, ctx.ReplicaId),
                });
                break;
            case 2:
                nodes[planner].Control(campaign, (CampaignControl)random.Next(3), planner + "-op", "chaos");
                break;
            case 3:
            case 4:
                var phase = (UpgradePhase)random.Next(13);
                var detail = $"d{random.Next(100)}";
                var owner = nodes[Owner(server)];
                owner.SetStatus(server, (_, seq) => new ServerStatus(campaign, 1, seq, phase, owner.Time.GetUtcNow().ToUnixTimeMilliseconds(), "2.0", detail, 0),
                    random.Next(3) == 0 ? new AuditNote("executor", "status", $"{server} {phase}") : null);
                break;
            case 5:
                var ip = $"10.0.0.{random.Next(255)}";
                nodes[Owner(server)].SetInventory(server, ctx => new ServerInventory { Ip = new(ip, ctx.Stamp, ctx.ReplicaId), OwnerNode = new(Owner(server), ctx.Stamp, ctx.ReplicaId) });
                break;
            case 6:
                nodes[Pick(Nodes)].SetNote(server, $"note {random.Next(1000)}", "operator");
                break;
            default:
                nodes[planner].AddApproval(Approval(campaign, random.Next(2) == 0 ? ApprovalDecision.Approve : ApprovalDecision.Reject,
                    nodes[planner].Time.GetUtcNow().ToUnixTimeMilliseconds() + random.Next(1000)));
                break;
        }
    }

    public ApprovalRecord Approval(string campaign, ApprovalDecision decision, long signedAtMs)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(campaign)));
        var signature = approver.Sign(ApprovalRecord.SigningBytes(campaign, hash, decision, approver.Id, "release-manager", signedAtMs));
        return new ApprovalRecord(ApprovalRecord.IdFor(signature), campaign, hash, decision, approver.Id, "release-manager", signedAtMs, signature);
    }
}
