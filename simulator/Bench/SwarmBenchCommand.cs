using System.CommandLine;
using Lunar.Dtn.Simulator.Common;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary><c>bench swarm [--agents 50] [--size-mb 100] [--mirror-mbps 40] [--timeout 900s] [--json OUT]</c>.</summary>
public static class SwarmBenchCommand
{
    public static Command Create()
    {
        var agents = new Option<int>("--agents") { HelpName = "N", Description = "Real agent processes", DefaultValueFactory = _ => 50 };
        var sizeMb = new Option<int>("--size-mb") { HelpName = "MB", Description = "Artifact size in MB (10^6 bytes)", DefaultValueFactory = _ => 100 };
        var mirror = new Option<double>("--mirror-mbps") { HelpName = "Mbit/s", Description = "The mirror's upload cap (Swarm:MirrorUploadMbps); 0: none", DefaultValueFactory = _ => 40 };
        var timeout = new Option<string>("--timeout") { Description = "Give up on the campaign after this long", DefaultValueFactory = _ => "900s" };
        var json = new Option<FileInfo?>("--json") { HelpName = "OUT.json", Description = "Also write the report as JSON to this file" };
        var command = new Command("swarm", "A real Moon node and real agent processes on 127.0.0.1 upgrading through the private swarm: the mirror's egress in full copies, bytes between peers, and the time")
        {
            agents, sizeMb, mirror, timeout, json,
        };
        command.SetAction(async (parse, _) =>
        {
            int n = parse.GetValue(agents), mb = parse.GetValue(sizeMb);
            var cap = parse.GetValue(mirror);
            TimeSpan limit;
            try
            {
                if (n is < 1 or > 500) throw new FormatException($"--agents {n} must be 1-500");
                if (mb is < 1 or > 10_000) throw new FormatException($"--size-mb {mb} must be 1-10000");
                if (cap < 0 || !double.IsFinite(cap)) throw new FormatException($"--mirror-mbps {cap} must be ≥ 0");
                limit = DurationText.Parse(parse.GetValue(timeout), "--timeout");
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"bench swarm: {ex.Message}");
                return 2;
            }
            var report = await SwarmBenchmark.RunAsync(n, mb * 1_000_000L, cap, limit, Console.Out).ConfigureAwait(false);
            Console.Write(report.ToText());
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, report.ToJson() + "\n").ConfigureAwait(false);
                Console.WriteLine($"  report written to {file.FullName}");
            }
            return report.Completed ? 0 : 1;
        });
        return command;
    }
}
