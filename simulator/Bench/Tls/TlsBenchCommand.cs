using System.CommandLine;
using Lunar.Dtn.Simulator.Common;

namespace Lunar.Dtn.Simulator.Bench.Tls;

/// <summary><c>bench tls [--clients 32] [--seconds 10s] [--reconnect 5000] [--json OUT]</c>.</summary>
public static class TlsBenchCommand
{
    public static Command Create()
    {
        var clients = new Option<int>("--clients") { HelpName = "N", Description = "Agents reporting at once, each on its own keep-alive connection", DefaultValueFactory = _ => 32 };
        var seconds = new Option<string>("--seconds") { Description = "How long each host takes reports", DefaultValueFactory = _ => "10s" };
        var reconnect = new Option<int>("--reconnect") { HelpName = "N", Description = "Agents reconnecting at once afterwards, each with its own certificate", DefaultValueFactory = _ => 5000 };
        var json = new Option<FileInfo?>("--json") { HelpName = "OUT.json", Description = "Also write the report as JSON to this file" };
        var command = new Command("tls", "Mutual TLS against a plain-HTTP host built in-process: agent reports per second and p99 over keep-alive, then a fleet reconnecting at once")
        {
            clients, seconds, reconnect, json,
        };
        command.SetAction(async (parse, _) =>
        {
            int n = parse.GetValue(clients), r = parse.GetValue(reconnect);
            TimeSpan duration;
            try
            {
                if (n is <= 0 or > 1024) throw new FormatException($"--clients {n} must be 1-1024");
                if (r is < 0 or > 20_000) throw new FormatException($"--reconnect {r} must be 0-20000");
                duration = DurationText.Parse(parse.GetValue(seconds), "--seconds");
                if (duration <= TimeSpan.Zero || duration > TimeSpan.FromMinutes(10)) throw new FormatException("--seconds must be more than 0 and at most 10 min");
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"bench tls: {ex.Message}");
                return 2;
            }
            var report = await TlsBenchmark.RunAsync(n, duration, r, Console.Out).ConfigureAwait(false);
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
