namespace Lunar.Dtn.Orchestration;

/// <summary>Whether a campaign's approvals form a quorum, who counted, and why the others did not.</summary>
public sealed record QuorumResult(bool Holds, IReadOnlyList<CountedApproval> Counted, IReadOnlyList<RefusedApproval> Refused, IReadOnlyList<string> Missing);

public sealed record CountedApproval(string ApprovalId, string ApproverId, string Role, long SignedAtMs);

public sealed record RefusedApproval(string ApprovalId, string ApproverId, string Reason);
