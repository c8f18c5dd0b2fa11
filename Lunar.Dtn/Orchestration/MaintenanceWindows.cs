using System.Globalization;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Orchestration;

/// <summary>Whether a UTC instant falls inside one of the daily windows ("HH:mm"–"HH:mm", possibly across midnight).</summary>
public static class MaintenanceWindows
{
    public static bool Contains(IReadOnlyList<MaintenanceWindow> windows, DateTimeOffset utc)
    {
        if (windows.Count == 0) return true; // no windows configured: no restriction
        var t = TimeOnly.FromTimeSpan(utc.UtcDateTime.TimeOfDay);
        foreach (var w in windows)
        {
            var start = TimeOnly.ParseExact(w.Start, "HH:mm", CultureInfo.InvariantCulture);
            var end = TimeOnly.ParseExact(w.End, "HH:mm", CultureInfo.InvariantCulture);
            if (start <= end ? t >= start && t < end : t >= start || t < end) return true;
        }
        return false;
    }
}
