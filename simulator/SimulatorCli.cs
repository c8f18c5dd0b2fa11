using System.CommandLine;
using Lunar.Dtn.Simulator.Bench;
using Lunar.Dtn.Simulator.Placeholders;

namespace Lunar.Dtn.Simulator;

/// <summary>The simulator's command line.</summary>
public static class SimulatorCli
{
    public static RootCommand Create() => new("Lunar.Dtn simulator: replicas, links and benchmarks in one process")
    {
        SyncBenchCommand.Create(),
        PlaceholderCommands.Run(),
        LinkEmulator.LinkCommand.Create(),
        PlaceholderCommands.Demo(),
    };
}
