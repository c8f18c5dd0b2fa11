using Lunar.Dtn.Links;
using Lunar.Dtn.Simulator.World;
using ScottPlot;

namespace Lunar.Dtn.Simulator.Report;

/// <summary>
/// Draws the run's time series as PNG charts next to report.json: servers by phase (stacked), Earth-link bytes by kind
/// in each direction, and Earth's replica lag; blackouts are shaded on the link and lag charts. The charts are a
/// function of the samples alone (fixed size, fixed fonts and colours), so the same run draws the same pixels.
/// </summary>
public static class ChartWriter
{
    public const string PhasesFile = "servers-by-phase.png";
    public const string BytesFile = "link-bytes.png";
    public const string LagFile = "replica-lag.png";
    private const int Width = 1000;

    private static readonly Color BlackoutShade = Color.FromHex("#555555").WithAlpha(0.18);

    /// <summary>Writes the three charts into <paramref name="dir"/> and returns their file names, in the order shown in report.html.</summary>
    public static IReadOnlyList<string> Write(string dir, IReadOnlyList<TimelineSample> samples, IReadOnlyList<Blackout> blackouts)
    {
        ChartFonts.EnsureLoaded();
        WritePhases(Path.Combine(dir, PhasesFile), samples);
        WriteBytes(Path.Combine(dir, BytesFile), samples, blackouts);
        WriteLag(Path.Combine(dir, LagFile), samples, blackouts);
        return [PhasesFile, BytesFile, LagFile];
    }

    private static void WritePhases(string path, IReadOnlyList<TimelineSample> samples)
    {
        var xs = samples.Select(s => s.Hours).ToArray();
        var chart = new Multiplot();
        chart.AddPlots(2);
        var all = chart.GetPlot(0);
        Stack(all, xs, PhaseColors.All.Select(p => (p.Name, p.Color, samples.Select(s => (double)s.Phases.GetValueOrDefault(p.Name)).ToArray())).ToArray());
        Style(all, "Servers by phase (the Moon's replica)", "servers");
        var busy = chart.GetPlot(1);
        Stack(busy, xs, PhaseColors.InProgress.Select(p => (p.Name, p.Color, samples.Select(s => (double)s.Phases.GetValueOrDefault(p.Name)).ToArray())).ToArray());
        Style(busy, "Servers in progress (queued to rolling back)", "servers");
        chart.SavePng(path, Width, 800);
    }

    private static void WriteBytes(string path, IReadOnlyList<TimelineSample> samples, IReadOnlyList<Blackout> blackouts)
    {
        var chart = new Multiplot();
        chart.AddPlots(2);
        var minutes = SimWorld.SampleEvery.TotalMinutes;
        foreach (var (plot, title, pick) in new (Plot, string, Func<TimelineSample, IReadOnlyDictionary<string, long>>)[]
                 {
                     (chart.GetPlot(0), "Earth → Moon", s => s.EarthToMoonByKind),
                     (chart.GetPlot(1), "Moon → Earth", s => s.MoonToEarthByKind),
                 })
        {
            Shade(plot, blackouts, samples);
            var (xs, steps) = Steps(samples, KindColors.All.Select(k => PerInterval(samples, s => pick(s).GetValueOrDefault(k.Name))).ToArray());
            Stack(plot, xs, KindColors.All.Select((k, i) => (k.Name, k.Color, steps[i])).ToArray());
            Style(plot, $"{title}: bytes on the Earth link by kind (grey: blackout)", $"KB per {minutes:0} min");
        }
        chart.SavePng(path, Width, 800);
    }

    private static void WriteLag(string path, IReadOnlyList<TimelineSample> samples, IReadOnlyList<Blackout> blackouts)
    {
        var plot = new Plot();
        Shade(plot, blackouts, samples);
        var worst = samples.Count == 0 ? 0 : samples.Max(s => s.MaxLagSeconds);
        var (unit, scale) = worst >= 3 * 3600 ? ("hours", 3600.0) : worst >= 180 ? ("minutes", 60.0) : ("seconds", 1.0);
        // The worst lag of each interval, flat over the interval (a short blackout between two samples still shows), and the lag at each sample.
        var (xs, worstSteps) = Steps(samples, [samples.Select(s => s.MaxLagSeconds / scale).ToArray()]);
        var fill = plot.Add.FillY(xs, worstSteps[0], new double[xs.Length]);
        fill.FillColor = Color.FromHex("#9ecae1").WithAlpha(0.7);
        fill.LineWidth = 0;
        fill.LegendText = "worst in interval";
        var line = plot.Add.Scatter(samples.Select(s => s.Hours).ToArray(), samples.Select(s => s.LagSeconds / scale).ToArray());
        line.LegendText = "at each sample";
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.Color = Color.FromHex("#08519c");
        Style(plot, "Replica lag: age of the newest Moon state Earth holds whole (grey: blackout)", unit);
        plot.Axes.SetLimitsY(0, Math.Max(worst / scale * 1.1, 1));
        plot.SavePng(path, Width, 450);
    }

    /// <summary>Bytes added in each interval, in KB, from cumulative counters.</summary>
    private static double[] PerInterval(IReadOnlyList<TimelineSample> samples, Func<TimelineSample, long> cumulative)
    {
        var result = new double[samples.Count];
        for (var i = 0; i < samples.Count; i++)
            result[i] = (cumulative(samples[i]) - (i == 0 ? 0 : cumulative(samples[i - 1]))) / 1000.0;
        return result;
    }

    /// <summary>
    /// Each interval's value drawn flat over the interval it was counted in (from the previous sample to this one),
    /// not as a slope between samples: a rate that fell to zero when a blackout began shows as zero from that sample on.
    /// </summary>
    private static (double[] Xs, double[][] Ys) Steps(IReadOnlyList<TimelineSample> samples, double[][] perInterval)
    {
        var xs = new List<double>();
        var ys = perInterval.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < samples.Count; i++)
        {
            xs.Add(i == 0 ? samples[0].Hours : samples[i - 1].Hours);
            xs.Add(samples[i].Hours);
            for (var k = 0; k < perInterval.Length; k++) { ys[k].Add(perInterval[k][i]); ys[k].Add(perInterval[k][i]); }
        }
        return (xs.ToArray(), ys.Select(y => y.ToArray()).ToArray());
    }

    /// <summary>Stacked areas, bottom series first; a series that is zero throughout is left out of the legend.</summary>
    private static void Stack(Plot plot, double[] xs, IReadOnlyList<(string Name, Color Color, double[] Ys)> series)
    {
        var lower = new double[xs.Length];
        foreach (var (name, color, ys) in series)
        {
            if (ys.All(y => y == 0)) continue;
            var upper = lower.Zip(ys, (l, y) => l + y).ToArray();
            var fill = plot.Add.FillY(xs, upper, lower);
            fill.FillColor = color;
            fill.LineWidth = 0;
            fill.LegendText = name;
            lower = upper;
        }
        plot.Axes.SetLimitsY(0, Math.Max(1, lower.DefaultIfEmpty(0).Max() * 1.05));
    }

    private static void Shade(Plot plot, IReadOnlyList<Blackout> blackouts, IReadOnlyList<TimelineSample> samples)
    {
        var end = samples.Count == 0 ? 0 : samples[^1].Hours;
        foreach (var b in blackouts.Where(b => b.Start.TotalHours < end))
        {
            var span = plot.Add.HorizontalSpan(b.Start.TotalHours, Math.Min(b.End.TotalHours, end));
            span.FillColor = BlackoutShade;
            span.LineWidth = 0;
        }
    }

    private static void Style(Plot plot, string title, string yLabel)
    {
        plot.Title(title, 14);
        plot.XLabel("virtual time (hours from t = 0)", 12);
        plot.YLabel(yLabel, 12);
        plot.ShowLegend(Edge.Right);
        plot.Axes.Margins(horizontal: 0, vertical: 0);
        // The same data area in every panel, so that stacked panels line up hour for hour; the legend sits in the right margin.
        plot.Layout.Fixed(new PixelPadding(left: 80, right: 200, bottom: 50, top: 40));
    }
}
