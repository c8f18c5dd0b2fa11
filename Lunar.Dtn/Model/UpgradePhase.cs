namespace Lunar.Dtn.Model;

/// <summary>Where one server stands in its upgrade. Names on the API are the kebab-case forms (see <see cref="PhaseNames"/>).</summary>
public enum UpgradePhase : byte
{
    Idle = 0,
    Queued,
    PreCheck,
    Downloading,
    Verifying,
    Applying,
    SmokeTest,
    Validated,
    Complete,
    Failed,
    RollingBack,
    RolledBack,
    TimedOut,
}
