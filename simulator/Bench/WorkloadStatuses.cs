using Lunar.Dtn.Model;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// The workload's status names and the upgrade phases they map to, in order:
/// pending→Queued, approved→PreCheck, scheduled→Downloading, draining→Verifying, upgrading→Applying,
/// verifying→SmokeTest, done→Complete.
/// </summary>
public static class WorkloadStatuses
{
    private static readonly (string Name, UpgradePhase Phase)[] Map =
    [
        ("pending", UpgradePhase.Queued),
        ("approved", UpgradePhase.PreCheck),
        ("scheduled", UpgradePhase.Downloading),
        ("draining", UpgradePhase.Verifying),
        ("upgrading", UpgradePhase.Applying),
        ("verifying", UpgradePhase.SmokeTest),
        ("done", UpgradePhase.Complete),
    ];

    /// <summary>The workload's status names, in upgrade order.</summary>
    public static IReadOnlyList<string> Names { get; } = Map.Select(m => m.Name).ToArray();

    public static bool TryToPhase(string name, out UpgradePhase phase)
    {
        foreach (var (n, p) in Map)
        {
            if (n == name) { phase = p; return true; }
        }
        phase = default;
        return false;
    }

    public static UpgradePhase ToPhase(string name) =>
        TryToPhase(name, out var phase) ? phase : throw new ArgumentException($"unknown workload status '{name}'", nameof(name));
}
