namespace Lunar.Dtn.Model;

/// <summary>
/// An operator's command to a campaign. The numeric order is the safety order used when two commands
/// were written concurrently: cancel beats pause beats run.
/// </summary>
public enum CampaignControl : byte
{
    Run = 0,
    Pause = 1,
    Cancel = 2,
}
