using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Fleet;

/// <summary>The <c>approve</c> verb of the node executable, run as a real process, as an approver would.</summary>
public static class ApproverCli
{
    public static async Task ApproveAsync(string constellationDir, string campaignId, string approver, string role, string nodeUrl)
    {
        using var cli = ChildProcess.Start("Lunar.Dtn.MoonNode",
            ["approve", "--campaign", campaignId, "--key", Path.Combine(constellationDir, approver + ".key"), "--node", nodeUrl, "--role", role]);
        var code = await cli.WaitForExitAsync($"`approve` by {approver}", TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"`approve --campaign {campaignId}` by {approver} exited {code}:\n{string.Join("\n", cli.Seen)}");
        await cli.WaitForLineAsync(l => l.Contains($"{approver} ({role}) signed campaign {campaignId}", StringComparison.Ordinal), $"{approver}'s approval to be confirmed");
    }
}
