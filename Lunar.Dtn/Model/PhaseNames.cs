namespace Lunar.Dtn.Model;

/// <summary>The contract's names for phases and states (kebab-case), both ways.</summary>
public static class PhaseNames
{
    public static string ToName(this UpgradePhase phase) => Kebab(phase.ToString());

    public static string ToName(this CampaignState state) => Kebab(state.ToString());

    public static bool TryParsePhase(string name, out UpgradePhase phase)
    {
        foreach (var p in Enum.GetValues<UpgradePhase>())
        {
            if (p.ToName() == name) { phase = p; return true; }
        }
        phase = default;
        return false;
    }

    /// <summary>Phases in which the server is out of service (counts against its redundancy group).</summary>
    public static bool IsOutOfService(this UpgradePhase phase) =>
        phase is UpgradePhase.PreCheck or UpgradePhase.Downloading or UpgradePhase.Verifying or UpgradePhase.Applying
            or UpgradePhase.SmokeTest or UpgradePhase.Validated or UpgradePhase.Failed or UpgradePhase.RollingBack
            or UpgradePhase.TimedOut;

    /// <summary>Phases after which nothing more happens to the server in this campaign.</summary>
    public static bool IsFinal(this UpgradePhase phase) =>
        phase is UpgradePhase.Complete or UpgradePhase.RolledBack;

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
