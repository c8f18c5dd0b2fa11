namespace Lunar.Dtn.Crdt;

/// <summary>
/// Each replica numbers its deltas in separate streams per channel, so that a control write is never
/// queued behind thousands of status changes: the link sends channel by channel, in this order.
/// </summary>
public enum Channel : byte
{
    /// <summary>Campaign definitions and control, artifacts, approvals, revocations.</summary>
    Control = 0,

    /// <summary>Server inventory, upgrade status, operator notes, audit entries.</summary>
    Status = 1,
}
