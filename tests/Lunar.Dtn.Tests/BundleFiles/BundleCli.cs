using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.BundleFiles;

/// <summary>The <c>bundle</c> verbs of the node executable, run as real processes, as an operator at the airlock would.</summary>
public static class BundleCli
{
    public static async Task<VerbRun> RunAsync(params string[] args)
    {
        using var cli = ChildProcess.Start("Lunar.Dtn.MoonNode", ["bundle", .. args]);
        var code = await cli.WaitForExitAsync($"`bundle {string.Join(' ', args)}`", TimeSpan.FromSeconds(60));
        return new VerbRun(code, string.Join("\n", cli.Seen), "");
    }

    public static async Task<VerbRun> ExpectAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.Code == 0, $"`bundle {string.Join(' ', args)}` failed: {run}");
        return run;
    }
}
