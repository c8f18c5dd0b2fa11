using ScottPlot;

namespace Lunar.Dtn.Simulator.Report;

/// <summary>One fixed colour per upgrade phase, in the order the phases stack (the lifecycle's order), so every chart reads the same.</summary>
public static class PhaseColors
{
    public static readonly IReadOnlyList<(string Name, Color Color)> All =
    [
        ("idle", Color.FromHex("#d9d9d9")),
        ("queued", Color.FromHex("#9ecae1")),
        ("pre-check", Color.FromHex("#6baed6")),
        ("downloading", Color.FromHex("#4292c6")),
        ("verifying", Color.FromHex("#2171b5")),
        ("applying", Color.FromHex("#08519c")),
        ("smoke-test", Color.FromHex("#6a51a3")),
        ("validated", Color.FromHex("#74c476")),
        ("complete", Color.FromHex("#238b45")),
        ("failed", Color.FromHex("#cb181d")),
        ("rolling-back", Color.FromHex("#fd8d3c")),
        ("rolled-back", Color.FromHex("#a63603")),
        ("timed-out", Color.FromHex("#54278f")),
    ];

    /// <summary>The phases a server is in while it holds one of the campaign's slots (or waits for one).</summary>
    public static readonly IReadOnlyList<(string Name, Color Color)> InProgress =
        All.Where(p => p.Name is not ("idle" or "complete" or "rolled-back" or "failed" or "timed-out")).ToArray();
}
