using System.Globalization;

namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>
/// Orders version strings the way operators write them: dot- or dash-separated parts, numeric parts compared as
/// numbers ("2.10.0" after "2.9.1"), other parts ordinally; a leading 'v' is ignored.
/// </summary>
public static class VersionOrder
{
    public static int Compare(string a, string b)
    {
        var x = Parts(a);
        var y = Parts(b);
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var p = i < x.Length ? x[i] : "0";
            var q = i < y.Length ? y[i] : "0";
            var c = long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && long.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? m.CompareTo(n)
                : string.CompareOrdinal(p, q);
            if (c != 0) return Math.Sign(c);
        }
        return 0;
    }

    private static string[] Parts(string v) => v.Trim().TrimStart('v', 'V').Split(['.', '-', '+'], StringSplitOptions.RemoveEmptyEntries);
}
