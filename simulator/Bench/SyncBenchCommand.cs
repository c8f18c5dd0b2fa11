using System.CommandLine;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary><c>bench sync --workload FILE.jsonl [--json OUT.json]</c>, or a generated workload with <c>--generate-servers N</c>.</summary>
public static class SyncBenchCommand
{
    public static Command Create()
    {
        var workload = new Option<FileInfo>("--workload") { HelpName = "FILE.jsonl", Description = "The workload, JSON lines (meta, init, transition, hold), e.g. simulator/data/sync-workload-500.jsonl" };
        var generate = new Option<int?>("--generate-servers") { HelpName = "N", Description = "Instead of --workload: synthesise a workload of the same shape with N servers" };
        var seed = new Option<int>("--seed") { HelpName = "N", Description = "Seed of the generated workload", DefaultValueFactory = _ => 1 };
        var save = new Option<FileInfo?>("--save-workload") { HelpName = "FILE.jsonl", Description = "Also write the generated workload to this file" };
        var json = new Option<FileInfo?>("--json") { HelpName = "OUT.json", Description = "Also write the report as JSON to this file" };
        var runs = new Option<int>("--runs") { HelpName = "N", Description = "Measure N times on fresh replicas and report the median timings (bytes and hops are deterministic)", DefaultValueFactory = _ => 3 };
        var delay = new Option<int>("--delay-ms") { HelpName = "MS", Description = "One-way delay of the simulated link, in milliseconds", DefaultValueFactory = _ => 1000 };

        var sync = new Command("sync", "Cut two replicas off, change both, restore the link and measure the catch-up against the information floor")
        {
            workload, generate, seed, save, json, runs, delay,
        };
        sync.Validators.Add(result =>
        {
            var hasWorkload = result.GetResult(workload) is not null;
            var hasGenerate = result.GetResult(generate) is not null;
            if (hasWorkload == hasGenerate) result.AddError("give exactly one of --workload FILE or --generate-servers N");
        });
        sync.SetAction(parse => Execute(parse.GetValue(workload), parse.GetValue(generate), parse.GetValue(seed),
            parse.GetValue(save), parse.GetValue(json), parse.GetValue(runs), parse.GetValue(delay)));

        return new Command("bench", "Benchmarks of the sync engine") { sync };
    }

    private static int Execute(FileInfo? workloadFile, int? generate, int seed, FileInfo? save, FileInfo? json, int runs, int delayMs)
    {
        if (generate is <= 0 || delayMs <= 0 || runs <= 0)
        {
            Console.Error.WriteLine("bench sync: --generate-servers, --runs and --delay-ms must be positive");
            return 2;
        }
        SyncWorkload workload;
        try
        {
            if (generate is { } n)
            {
                if (save is not null) File.WriteAllLines(save.FullName, SyncWorkloadGenerator.Lines(n, seed));
                workload = SyncWorkloadGenerator.Generate(n, seed);
            }
            else
            {
                workload = SyncWorkloadReader.ReadFile(workloadFile!.FullName);
            }
        }
        catch (Exception ex) when (ex is WorkloadFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bench sync: {ex.Message}");
            return 2;
        }

        var report = SyncBenchmark.RunMany(workload, runs, TimeSpan.FromMilliseconds(delayMs));
        Console.Write(report.ToText());
        if (json is not null)
        {
            File.WriteAllText(json.FullName, report.ToJson() + "\n");
            Console.WriteLine($"  report written to {json.FullName}");
        }
        return report.Converged ? 0 : 1;
    }
}
