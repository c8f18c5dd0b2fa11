namespace Lunar.Dtn.Simulator.Report;

/// <summary>
/// The charts' font. SkiaSharp's self-contained Linux build has no fontconfig, so a font is named by file:
/// DejaVu Sans (Debian's fonts-dejavu-core, installed by .ci/run). Without it, the charts would draw no text at all,
/// so its absence is an error that names the package.
/// </summary>
public static class ChartFonts
{
    private const string Family = "DejaVu Sans";
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];
    private static bool _loaded;
    private static readonly Lock Gate = new();

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            var file = Candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"the charts need the font {Family} ({Candidates[0]}): install it with 'apt-get install -y fonts-dejavu-core'");
            ScottPlot.Fonts.AddFontFile(Family, file);
            ScottPlot.Fonts.Default = Family;
            _loaded = true;
        }
    }
}
