using System.CommandLine;
using System.Globalization;
using System.Net;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Simulator.Common;

namespace Lunar.Dtn.Simulator.LinkEmulator;

/// <summary>
/// <c>simulator link --listen 127.0.0.1:7101 --target 127.0.0.1:7002 [--delay 1280ms] [--bandwidth 10mbit] [--loss 0.01] [--plan PLAN.json]</c>.
/// Runs until stdin closes or Ctrl+C; reads "down", "up" and "stats" from stdin.
/// </summary>
public static class LinkCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Where nodes connect, e.g. 127.0.0.1:7101", Required = true };
        var target = new Option<string>("--target") { Description = "The peer node's link endpoint, e.g. 127.0.0.1:7002", Required = true };
        var delay = new Option<string>("--delay") { Description = "One-way delay (default 1280ms, the Earth–Moon light time)", DefaultValueFactory = _ => "1280ms" };
        var bandwidth = new Option<string?>("--bandwidth") { Description = "Cap per direction, e.g. 10mbit (default unlimited)" };
        var loss = new Option<double>("--loss") { Description = "Share of chunks delivered late as if retransmitted (0-1)" };
        var plan = new Option<string?>("--plan") { Description = "A JSON file { \"blackouts\": [ { \"start\": \"30s\", \"duration\": \"2m\" } ] }, timed from start" };
        var seed = new Option<int>("--seed") { Description = "Seed of the loss draws", DefaultValueFactory = _ => 1 };
        var command = new Command("link", "TCP link emulator between two nodes: delay, bandwidth, loss, blackouts (type 'down'/'up' on stdin to cut by hand)")
        {
            listen, target, delay, bandwidth, loss, plan, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            LinkEmulatorOptions options;
            try
            {
                var (lh, lp) = TcpRelaySettings.ParseEndpoint(parse.GetValue(listen)!);
                var (th, tp) = TcpRelaySettings.ParseEndpoint(parse.GetValue(target)!);
                var l = parse.GetValue(loss);
                if (l is < 0 or > 1) throw new FormatException($"--loss {l.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1");
                options = new LinkEmulatorOptions(
                    new IPEndPoint(lh == "localhost" ? IPAddress.Loopback : IPAddress.Parse(lh), lp), th, tp,
                    DurationText.Parse(parse.GetValue(delay), "--delay"),
                    parse.GetValue(bandwidth) is { } b ? BandwidthText.ParseMegabits(b, "--bandwidth") : null,
                    l,
                    parse.GetValue(plan) is { } p ? ContactPlan.Load(p) : [],
                    parse.GetValue(seed));
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            await using var proxy = new LinkProxy(options, TimeProvider.System, Console.Out);
            proxy.Start();
            await ReadCommandsAsync(proxy, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task ReadCommandsAsync(LinkProxy proxy, CancellationToken ct)
    {
        var stdin = Console.In;
        while (!ct.IsCancellationRequested)
        {
            string? line;
            try { line = await stdin.ReadLineAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (line is null)
            {
                // No stdin (a service manager): run until cancelled.
                try { await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); } catch (OperationCanceledException) { }
                return;
            }
            switch (line.Trim())
            {
                case "down": proxy.SetDown(true); break;
                case "up": proxy.SetDown(false); break;
                case "stats": Console.WriteLine($"stats forward={proxy.BytesForward} backward={proxy.BytesBackward} down={proxy.IsDown}"); break;
                case "": break;
                default: Console.Error.WriteLine($"unknown command '{line}': use down, up or stats"); break;
            }
        }
    }
}
