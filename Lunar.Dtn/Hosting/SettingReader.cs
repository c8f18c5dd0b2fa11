using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Hosting;

/// <summary>Numbers from one configuration section, each checked against its range; a bad one is named with its full key.</summary>
public static class SettingReader
{
    /// <summary>The integer at <paramref name="key"/>, or <paramref name="fallback"/> when unset (or bad, after saying why).</summary>
    public static int Int(IConfigurationSection s, string key, int fallback, int min, int max, List<string> problems)
    {
        if (s[key] is not { Length: > 0 } text) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        problems.Add($"{s.Path}:{key} must be an integer {min}-{max} (got '{text}')");
        return fallback;
    }

    /// <summary>The finite number ≥ 0 at <paramref name="key"/>, or <paramref name="fallback"/> when unset (or bad, after saying why).</summary>
    public static double NonNegative(IConfigurationSection s, string key, double fallback, List<string> problems)
    {
        if (s[key] is not { Length: > 0 } text) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v)) return v;
        problems.Add($"{s.Path}:{key} must be a number ≥ 0 (got '{text}')");
        return fallback;
    }
}
