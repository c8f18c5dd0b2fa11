using System.CommandLine;
using Lunar.Dtn.Simulator.Bench;

namespace Lunar.Dtn.Simulator;

/// <summary>The simulator's command line.</summary>
public static class SimulatorCli
{
    public static RootCommand Create() => new("Lunar.Dtn simulator: whole campaigns in virtual time (run, sweep), the demo, the link emulator and benchmarks")
    {
        Bench(),
        World.RunCommand.Create(),
        World.SweepCommand.Create(),
        LinkEmulator.LinkCommand.Create(),
        Demo.DemoCommand.Create(),
    };

    private static Command Bench()
    {
        var bench = SyncBenchCommand.Create();
        bench.Subcommands.Add(CatchupBenchCommand.Create());
        bench.Subcommands.Add(SwarmBenchCommand.Create());
        bench.Subcommands.Add(DashboardBenchCommand.Create());
        bench.Subcommands.Add(Lunar.Dtn.Simulator.Bench.Tls.TlsBenchCommand.Create());
        return bench;
    }
}
