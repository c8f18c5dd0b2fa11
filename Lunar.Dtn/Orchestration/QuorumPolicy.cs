namespace Lunar.Dtn.Orchestration;

/// <summary>
/// How many approvers must sign, and which roles must be among them (at least one signer of each).
/// Configuration: Approvals:Tier1:Required (default 2), Approvals:Tier1:Roles (default flight-director,base-lead).
/// </summary>
public sealed record QuorumPolicy(int Required, IReadOnlyList<string> Roles)
{
    public static readonly QuorumPolicy Default = new(2, ["flight-director", "base-lead"]);
}
