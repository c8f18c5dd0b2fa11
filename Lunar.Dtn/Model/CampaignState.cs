namespace Lunar.Dtn.Model;

/// <summary>A campaign's lifecycle state. Derived from the replicated records, never stored.</summary>
public enum CampaignState
{
    Draft,
    AwaitingApproval,
    Ready,
    Running,
    Paused,
    Cancelled,
    Completed,
}
