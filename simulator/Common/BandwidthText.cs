using System.Globalization;

namespace Lunar.Dtn.Simulator.Common;

/// <summary>Bandwidths as the link emulator takes them: "10mbit", "512kbit", "1gbit", or a plain number of bits per second.</summary>
public static class BandwidthText
{
    public static double ParseMegabits(string text, string field)
    {
        var t = text.Trim().ToLowerInvariant();
        (string suffix, double factor)[] units = [("gbit", 1000), ("mbit", 1), ("kbit", 0.001), ("bit", 0.000001)];
        foreach (var (suffix, factor) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
                return n * factor;
        }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var bits) && bits > 0) return bits / 1_000_000;
        throw new FormatException($"{field}: '{text}' is not a bandwidth (e.g. 10mbit, 512kbit)");
    }
}
