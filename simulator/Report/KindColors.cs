using ScottPlot;

namespace Lunar.Dtn.Simulator.Report;

/// <summary>Colours of the Earth link's traffic kinds (bundle priorities): control, status, bulk.</summary>
public static class KindColors
{
    public static readonly IReadOnlyList<(string Name, Color Color)> All =
    [
        ("control", Color.FromHex("#d62728")),
        ("status", Color.FromHex("#1f77b4")),
        ("bulk", Color.FromHex("#ff7f0e")),
    ];
}
