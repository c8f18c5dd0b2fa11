using System.Globalization;

namespace Lunar.Dtn.Simulator.Common;

/// <summary>Durations as scenario files and the link emulator write them: a number and a unit (ms, s, m, h, d), e.g. "1280ms", "36h".</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var unitStart = t.Length;
        while (unitStart > 0 && char.IsLetter(t[unitStart - 1])) unitStart--;
        if (!double.TryParse(t[..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n)) return false;
        TimeSpan? v = t[unitStart..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
        if (v is null) return false;
        value = v.Value;
        return true;
    }

    /// <summary>Parses or throws a <see cref="FormatException"/> naming <paramref name="field"/>.</summary>
    public static TimeSpan Parse(string? text, string field) =>
        TryParse(text, out var v) ? v : throw new FormatException($"{field}: '{text}' is not a duration (a number and one of ms, s, m, h, d, e.g. \"1280ms\" or \"36h\")");
}
