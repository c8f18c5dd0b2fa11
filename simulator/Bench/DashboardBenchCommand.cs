using System.CommandLine;
using Lunar.Dtn.Simulator.Common;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary><c>bench dashboard [--servers 5000] [--clients 4] [--seconds 10s] [--writes-per-tick 30] [--json OUT]</c>.</summary>
public static class DashboardBenchCommand
{
    public static Command Create()
    {
        var servers = new Option<int>("--servers") { HelpName = "N", Description = "Servers in the campaign", DefaultValueFactory = _ => 5000 };
        var clients = new Option<int>("--clients") { HelpName = "N", Description = "Live-feed (/api/v1/events) clients connected at once", DefaultValueFactory = _ => 4 };
        var seconds = new Option<string>("--seconds") { Description = "How long the feed is measured (twice: without and with the clients)", DefaultValueFactory = _ => "10s" };
        var writes = new Option<int>("--writes-per-tick") { HelpName = "N", Description = "Status changes written every 100 ms meanwhile (agents reporting)", DefaultValueFactory = _ => 30 };
        var json = new Option<FileInfo?>("--json") { HelpName = "OUT.json", Description = "Also write the report as JSON to this file" };
        var command = new Command("dashboard", "A real Moon service holding a campaign over N servers: CPU per dashboard snapshot, GET /api/v1/dashboard time, and the live feed's CPU per connected client while agents report")
        {
            servers, clients, seconds, writes, json,
        };
        command.SetAction(async (parse, _) =>
        {
            int n = parse.GetValue(servers), c = parse.GetValue(clients), w = parse.GetValue(writes);
            TimeSpan feed;
            try
            {
                if (n <= 0) throw new FormatException($"--servers {n} must be positive");
                if (c is <= 0 or > 64) throw new FormatException($"--clients {c} must be 1-64");
                if (w is <= 0 or > 10_000) throw new FormatException($"--writes-per-tick {w} must be 1-10000");
                feed = DurationText.Parse(parse.GetValue(seconds), "--seconds");
                if (feed <= TimeSpan.Zero || feed > TimeSpan.FromMinutes(10)) throw new FormatException($"--seconds must be more than 0 and at most 10 min");
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"bench dashboard: {ex.Message}");
                return 2;
            }
            var report = await DashboardBenchmark.RunAsync(n, c, feed, w, Console.Out).ConfigureAwait(false);
            Console.Write(report.ToText());
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, report.ToJson() + "\n").ConfigureAwait(false);
                Console.WriteLine($"  report written to {file.FullName}");
            }
            return 0;
        });
        return command;
    }
}
