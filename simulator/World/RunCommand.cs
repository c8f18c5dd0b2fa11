using System.CommandLine;
using System.Diagnostics;
using Lunar.Dtn.Simulator.Bench;
using Lunar.Dtn.Simulator.Report;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.World;

/// <summary><c>simulator run --scenario FILE.json [--seed N] [--out DIR]</c>: exit 0 when every invariant held, 3 when one broke, 2 for a bad scenario.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "The scenario file (JSON)", Required = true };
        var seed = new Option<int?>("--seed") { Description = "Overrides the scenario's seed" };
        var output = new Option<string>("--out") { Description = "Folder for report.json, the charts and report.html", DefaultValueFactory = _ => "sim-out" };
        var command = new Command("run", "Run a scenario: the real replica, sync and executor code in virtual time, with invariant checks") { scenario, seed, output };
        command.SetAction(parse =>
        {
            Scenario s;
            try { s = ScenarioReader.Load(parse.GetValue(scenario)!); }
            catch (FormatException ex) { Console.Error.WriteLine(ex.Message); return 2; }
            if (parse.GetValue(seed) is { } n) s = s with { Seed = n };
            var wall = Stopwatch.StartNew();
            var cpu = ThreadCpuClock.Now();
            var world = new SimWorld(s);
            var result = world.Run();
            var simulateCpu = (ThreadCpuClock.Now() - cpu)?.TotalSeconds;
            var dir = parse.GetValue(output)!;
            var report = ReportWriter.Write(dir, s, result, world.Work, wall.Elapsed.TotalSeconds, simulateCpu);
            var path = Path.Combine(dir, ReportWriter.JsonFile);
            Console.WriteLine($"{s.Name} seed {s.Seed}: completed={result.Completed} campaignHours={result.CampaignHours} lowerBound={report["lowerBoundHours"]} " +
                $"upgraded={result.Upgraded} rolledBack={result.RolledBack} converged={result.Converged} violations={result.Violations.Count} wall={wall.Elapsed.TotalSeconds:0.0}s");
            foreach (var file in (IReadOnlyList<string>)report["charts"]!) Console.WriteLine($"wrote {Path.Combine(dir, file)}");
            Console.WriteLine($"wrote {Path.Combine(dir, ReportWriter.HtmlFile)}");
            foreach (var v in result.Violations.Take(5)) Console.WriteLine($"  VIOLATION {v}");
            Console.WriteLine($"wrote {path}");
            return result.Violations.Count == 0 ? 0 : 3;
        });
        return command;
    }
}
