using System.CommandLine;

namespace Lunar.Dtn.Simulator.Placeholders;

/// <summary>
/// The simulator verbs of the contract that later issues build. Each is listed with its options, says
/// so in its help, and when run prints one line and exits 2.
/// </summary>
public static class PlaceholderCommands
{
    private const string NotBuilt = "[not built yet: comes with a later issue; exits 2]";

    public static Command Demo() => Placeholder(new Command("demo", $"The main job on embedded defaults {NotBuilt}"));

    private static Command Placeholder(Command command)
    {
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"simulator {command.Name}: not built yet (it comes with a later issue)");
            return 2;
        });
        return command;
    }
}
