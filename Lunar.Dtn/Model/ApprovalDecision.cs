namespace Lunar.Dtn.Model;

public enum ApprovalDecision : byte
{
    Approve = 0,
    Reject = 1,
}
