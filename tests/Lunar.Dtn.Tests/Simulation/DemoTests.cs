using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Simulation;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_SmallFleetShortBlackout_CompletesConvergesAndCleansUp()
    {
        using var demo = ChildProcess.Start("simulator", ["demo", "--agents", "24", "--blackout-seconds", "3"]);
        var code = await demo.WaitForExitAsync("the demo", TimeSpan.FromMinutes(4));
        var output = string.Join("\n", demo.Seen);
        Assert.True(code == 0, $"demo exited {code}:\n{output}");
        Assert.Contains("blackout", output);
        Assert.Contains("contact restored", output);
        Assert.Contains("Earth converged with the Moon: yes", output);
        var folder = demo.Seen.First(l => l.Contains("data in ", StringComparison.Ordinal));
        Assert.False(Directory.Exists(folder[(folder.IndexOf("data in ", StringComparison.Ordinal) + 8)..].Trim()), "the demo removes its folder");
    }
}
