using System.Diagnostics;
using Lunar.Dtn.Simulator.Bench;
using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.World;

namespace Lunar.Dtn.Simulator.Report;

/// <summary>
/// Writes a run's output folder: the PNG charts, report.html (the scenario, the key figures and the charts) and
/// report.json. Everything but the <c>wall</c> figures is a function of the scenario and seed.
/// </summary>
public static class ReportWriter
{
    public const string JsonFile = "report.json";
    public const string HtmlFile = "report.html";

    /// <param name="simulateSeconds">Wall time the simulation itself took.</param>
    /// <param name="simulateCpuSeconds">CPU time of the thread that ran it, if measured (meaningful on a busy machine).</param>
    /// <returns>The report as written to report.json.</returns>
    public static Dictionary<string, object?> Write(string dir, Scenario s, RunResult result, IReadOnlyDictionary<int, double> work, double simulateSeconds, double? simulateCpuSeconds = null)
    {
        Directory.CreateDirectory(dir);
        var report = RunReport.Build(s, result, work, simulateSeconds);
        var charts = Stopwatch.StartNew();
        var cpuBefore = ThreadCpuClock.Now();
        var files = ChartWriter.Write(dir, result.Timeline, s.Blackouts);
        var chartSeconds = charts.Elapsed.TotalSeconds;
        var chartCpu = ThreadCpuClock.Now() - cpuBefore;
        report["charts"] = files;
        var html = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(dir, HtmlFile), HtmlReport.Render(s, report, files));
        var htmlSeconds = html.Elapsed.TotalSeconds;
        var total = simulateSeconds + chartSeconds + htmlSeconds;
        report["wallSeconds"] = Math.Round(total, 3);
        report["wall"] = new
        {
            wallSeconds = Math.Round(total, 3),
            simulateSeconds = Math.Round(simulateSeconds, 3),
            simulateCpuSeconds = simulateCpuSeconds is { } cpu ? Math.Round(cpu, 3) : (double?)null,
            chartsSeconds = Math.Round(chartSeconds, 3),
            chartsCpuSeconds = chartCpu is { } c ? Math.Round(c.TotalSeconds, 3) : (double?)null,
            htmlSeconds = Math.Round(htmlSeconds, 3),
            processCpuSeconds = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 3),
        };
        File.WriteAllText(Path.Combine(dir, JsonFile), RunReport.ToJson(report));
        return report;
    }
}
