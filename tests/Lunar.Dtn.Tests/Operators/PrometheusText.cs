using System.Globalization;
using System.Text.RegularExpressions;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line must be a comment
/// (# HELP / # TYPE), blank, or one sample <c>name{label="value",...} number</c>; anything else fails the test.
/// </summary>
public sealed partial class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private PrometheusText() { }

    public IReadOnlyDictionary<string, double> Samples => _samples;

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("# HELP ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(parts.Length == 4 && parts[3] is "counter" or "gauge" or "histogram" or "summary" or "untyped", $"bad TYPE line: {line}");
                Assert.True(typed.Add(parts[2]), $"metric {parts[2]} typed twice");
                continue;
            }
            var m = Sample().Match(line);
            Assert.True(m.Success, $"not a Prometheus sample line: '{line}'");
            var value = m.Groups["value"].Value;
            var number = value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            var series = m.Groups["name"].Value + m.Groups["labels"].Value;
            Assert.True(result._samples.TryAdd(series, number), $"series {series} appears twice");
        }
        return result;
    }

    /// <summary>The value of one series, e.g. <c>lunar_link_up{peer="earth"}</c>; 0 when absent (a counter never incremented).</summary>
    public double this[string series] => _samples.GetValueOrDefault(series);

    /// <summary>The sum over every series of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    public IEnumerable<string> Names => _samples.Keys.Select(k => k.Split('{')[0]).Distinct(StringComparer.Ordinal);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*)?\})? (?<value>[-+]?([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?|Inf|NaN))( [0-9]+)?$""")]
    private static partial Regex Sample();
}
