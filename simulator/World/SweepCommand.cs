using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lunar.Dtn.Links;
using Lunar.Dtn.Simulator.Scenarios;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// <c>simulator sweep --scenario F --seeds A..B [--out DIR]</c>: runs the scenario once per seed with a fault mix drawn
/// from the seed (link loss, one or two blackouts, failure rate from half to double, a Moon crash), then summarises the
/// invariant violations and the spread of the key figures, and lists failing seeds for replay. Exit 3 when any seed broke an invariant.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "The scenario file (JSON)", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "Seeds A..B, e.g. 1..1000", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for sweep.json", DefaultValueFactory = _ => "sim-sweep" };
        var command = new Command("sweep", "Run a scenario over many seeds with faults varied per seed; summarise violations and spreads") { scenario, seeds, output };
        command.SetAction(parse =>
        {
            Scenario baseScenario;
            int from, to;
            try
            {
                baseScenario = ScenarioReader.Load(parse.GetValue(scenario)!);
                (from, to) = ParseRange(parse.GetValue(seeds)!);
            }
            catch (FormatException ex) { Console.Error.WriteLine(ex.Message); return 2; }
            var wall = Stopwatch.StartNew();
            var runs = new List<(int Seed, RunResult Result, double Ratio)>();
            for (var seed = from; seed <= to; seed++)
            {
                var s = WithFaults(baseScenario, seed);
                var world = new SimWorld(s);
                var r = world.Run();
                var ratio = r.CampaignHours is { } h ? h / LowerBound.Of(s, world.Work, world.Crossing).Hours : double.NaN;
                runs.Add((seed, r, ratio));
                if (r.Violations.Count > 0) Console.WriteLine($"seed {seed}: {r.Violations[0]}");
            }
            var failing = runs.Where(r => r.Result.Violations.Count > 0).Select(r => r.Seed).ToArray();
            var ratios = runs.Where(r => !double.IsNaN(r.Ratio)).Select(r => r.Ratio).Order().ToArray();
            var summary = new
            {
                scenario = baseScenario.Name, seeds = $"{from}..{to}", runs = runs.Count,
                completed = runs.Count(r => r.Result.Completed),
                violations = runs.SelectMany(r => r.Result.Violations).GroupBy(v => v.Invariant).ToDictionary(g => g.Key, g => g.Count()),
                failingSeeds = failing,
                replay = failing.Select(f => $"dotnet run --project simulator -c Release -- sweep --scenario {parse.GetValue(scenario)} --seeds {f}..{f}").ToArray(),
                campaignToLowerBound = ratios.Length == 0 ? null : new { min = ratios[0], median = ratios[ratios.Length / 2], max = ratios[^1] },
                loss = new
                {
                    // What loss cost across the seeds (convergence.loss and convergence.catchUps of each run's report).
                    bundlesLost = runs.Sum(r => r.Result.Loss.LostEarthToMoon + r.Result.Loss.LostMoonToEarth),
                    episodes = runs.Sum(r => r.Result.Loss.Episodes),
                    extraRoundTripsMax = runs.Select(r => r.Result.Loss.ExtraRoundTripsMax).DefaultIfEmpty(0).Max(),
                    catchUpExtraRoundTripsMax = runs.SelectMany(r => r.Result.CatchUps).Select(c => c.ExtraRoundTrips).DefaultIfEmpty(0).Max(),
                },
                wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
            };
            var dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "sweep.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"{runs.Count} seeds, {summary.completed} completed, {failing.Length} with violations; campaign/lower bound " +
                (ratios.Length == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"min {ratios[0]:0.###} median {ratios[ratios.Length / 2]:0.###} max {ratios[^1]:0.###}")) +
                $"; {wall.Elapsed.TotalSeconds:0.0}s; wrote {Path.Combine(dir, "sweep.json")}");
            return failing.Length == 0 ? 0 : 3;
        });
        return command;
    }

    /// <summary>The fault mix of one seed: deterministic, so a failing seed replays exactly.</summary>
    public static Scenario WithFaults(Scenario s, int seed)
    {
        var r = new Random(seed);
        var blackouts = new List<Blackout>();
        for (var i = 0; i < r.Next(0, 3); i++)
            blackouts.Add(new Blackout(TimeSpan.FromHours(r.NextDouble() * 30), TimeSpan.FromMinutes(10 + r.NextDouble() * 600)));
        var events = s.Events.ToList();
        if (r.Next(3) == 0) events.Add(new ScenarioEvent(TimeSpan.FromHours(r.NextDouble() * 20), "moon", "crash", null, TimeSpan.FromMinutes(1 + r.Next(30))));
        if (r.Next(3) == 0) events.Add(new ScenarioEvent(TimeSpan.FromHours(r.NextDouble() * 20), "earth", "crash", null, TimeSpan.FromMinutes(1 + r.Next(60))));
        return s with
        {
            Seed = seed,
            Loss = r.NextDouble() < 0.5 ? 0 : r.NextDouble() * 0.05,
            FailureRate = s.FailureRate * (0.5 + r.NextDouble() * 1.5),
            Blackouts = s.Blackouts.Concat(blackouts).OrderBy(b => b.Start).ToArray(),
            Events = events.OrderBy(e => e.At).ToArray(),
        };
    }

    private static (int, int) ParseRange(string text)
    {
        var parts = text.Split("..");
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var a) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var b) && a <= b)
            return (a, b);
        throw new FormatException($"--seeds '{text}' is not A..B with A ≤ B");
    }
}
