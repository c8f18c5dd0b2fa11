using System.CommandLine;
using Lunar.Dtn.Simulator.Common;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary><c>bench catchup [--servers 5000] [--delay 1280ms] [--bandwidth 10mbit] [--blackout 30s] [--timeout 120s] [--json OUT]</c>.</summary>
public static class CatchupBenchCommand
{
    public static Command Create()
    {
        var servers = new Option<int>("--servers") { HelpName = "N", Description = "Servers, each changing status once on the Moon during the blackout", DefaultValueFactory = _ => 5000 };
        var delay = new Option<string>("--delay") { Description = "One-way delay of the emulated link", DefaultValueFactory = _ => "1280ms" };
        var bandwidth = new Option<string>("--bandwidth") { Description = "Cap per direction of the emulated link", DefaultValueFactory = _ => "10mbit" };
        var blackout = new Option<string>("--blackout") { Description = "The link stays down at least this long (the writes happen inside it)", DefaultValueFactory = _ => "30s" };
        var timeout = new Option<string>("--timeout") { Description = "Give up after this long", DefaultValueFactory = _ => "120s" };
        var json = new Option<FileInfo?>("--json") { HelpName = "OUT.json", Description = "Also write the report as JSON to this file" };
        var command = new Command("catchup", "Real Earth and Moon services through the link emulator: after a blackout in which the Moon recorded a status change per server, time from the restore to convergence on Earth against one light time plus transmission")
        {
            servers, delay, bandwidth, blackout, timeout, json,
        };
        command.SetAction(async (parse, _) =>
        {
            CatchupSettings settings;
            try
            {
                var n = parse.GetValue(servers);
                if (n <= 0) throw new FormatException($"--servers {n} must be positive");
                settings = new CatchupSettings
                {
                    Servers = n,
                    Delay = DurationText.Parse(parse.GetValue(delay), "--delay"),
                    BandwidthMbps = BandwidthText.ParseMegabits(parse.GetValue(bandwidth)!, "--bandwidth"),
                    Blackout = DurationText.Parse(parse.GetValue(blackout), "--blackout"),
                    Timeout = DurationText.Parse(parse.GetValue(timeout), "--timeout"),
                };
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"bench catchup: {ex.Message}");
                return 2;
            }
            var report = await CatchupBenchmark.RunAsync(settings, Console.Out).ConfigureAwait(false);
            Console.Write(report.ToText());
            if (json is not null && parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, report.ToJson() + "\n").ConfigureAwait(false);
                Console.WriteLine($"  report written to {file.FullName}");
            }
            return report.Converged ? 0 : 1;
        });
        return command;
    }
}
