using System.Text.RegularExpressions;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// The dashboard in real headless Chromium against Earth and Moon as real processes with the link emulator between
/// them: a running campaign, live updates as agents report, the link going down and up with the staleness growing and
/// clearing, and a pause given on Earth's dashboard reaching the Moon.
/// </summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed partial class DashboardBrowserTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task Dashboard_ShowsCampaignLiveAsAgentsReport_LinkDownAndUpWithStaleness_AndAPauseReachesTheMoon()
    {
        await using var pair = await NodePair.StartAsync("300ms");
        await using var chromium = await Chromium.LaunchAsync();
        var outside = new List<string>();

        await NodePair.PostAsync(pair.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 104_857_600 });
        var campaign = (await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = "wave-1", artifactId = Sha, approvalRequired = false })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{campaign}/start");
        var agents = Enumerable.Range(1, 4).Select(i => new ScriptedAgent(pair.MoonApi, $"srv-{i:D3}")).ToArray();
        for (var i = 0; i < agents.Length; i++) await agents[i].RegisterAsync(i % 2 == 0 ? "shackleton" : "peary", i == 0 ? 2 : 3);

        // The Moon's dashboard shows the campaign running, as soon as it arrives over the relay.
        var moon = await chromium.NewPageAsync(outside);
        await moon.GotoAsync(pair.MoonApi.BaseAddress!.ToString());
        await Expect(moon.GetByTestId("feed")).ToHaveTextAsync("LIVE", Soon);
        await Expect(moon.GetByTestId($"campaign-state-{campaign}")).ToHaveTextAsync("running", Soon);
        await moon.EvaluateAsync("() => { window.notReloaded = true; }");

        // Live: as agents report, the numbers change on the open page (no reload).
        foreach (var a in agents) await a.TakeAssignmentAsync(TimeSpan.FromSeconds(30));
        await Expect(moon.GetByTestId($"phase-{campaign}-queued")).ToHaveTextAsync("queued 4", Soon);
        await agents[0].RunAsync(ScriptedAgent.SuccessPath);
        await Expect(moon.GetByTestId($"campaign-complete-{campaign}")).ToHaveTextAsync("1", Soon);
        await agents[1].RunAsync(ScriptedAgent.FailurePath);
        await Expect(moon.GetByTestId("attention-srv-002")).ToContainTextAsync("rolled-back", new() { Timeout = 30_000 });
        await agents[2].RunAsync(ScriptedAgent.SuccessPath.Take(4));
        await Expect(moon.GetByTestId($"phase-{campaign}-applying")).ToHaveTextAsync("applying 1", Soon);
        await Expect(moon.GetByTestId("tier-2")).ToBeVisibleAsync();
        await Expect(moon.GetByTestId("site-shackleton")).ToBeVisibleAsync();
        Assert.True(await moon.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page reloaded instead of updating live");
        await Chromium.ScreenshotAsync(moon, "moon-campaign-running");

        // Earth's dashboard: the link is up and the Moon's progress has arrived.
        var earth = await chromium.NewPageAsync(outside);
        await earth.GotoAsync(pair.EarthApi.BaseAddress!.ToString());
        await Expect(earth.GetByTestId("link-state-moon")).ToHaveTextAsync("LINK UP", Soon);
        await Expect(earth.GetByTestId($"campaign-complete-{campaign}")).ToHaveTextAsync("1", Soon);
        await Expect(earth.GetByTestId("staleness-moon")).ToHaveTextAsync("current — in contact", Soon);

        // Blackout: the relay is cut; Earth's view of the Moon grows stale, second by second.
        await pair.Emulator.SendLineAsync("down");
        await pair.Emulator.WaitForLineAsync(l => l == "link down", "the emulator to cut the link");
        await Expect(earth.GetByTestId("link-state-moon")).ToHaveTextAsync("LINK DOWN", Soon);
        var first = await StalenessSecondsAsync(earth);
        await Eventually.Holds(() => StalenessSecondsAsync(earth).Result >= first + 2, "earth's staleness of the moon to grow during the blackout");
        await agents[2].RunAsync(ScriptedAgent.SuccessPath.Skip(4)); // the Moon carries on alone
        await Expect(moon.GetByTestId($"campaign-complete-{campaign}")).ToHaveTextAsync("2", Soon);
        await Expect(earth.GetByTestId($"campaign-complete-{campaign}")).ToHaveTextAsync("1");
        await Chromium.ScreenshotAsync(earth, "earth-blackout");

        // Contact returns: the link comes up, the staleness clears and Earth catches up.
        await pair.Emulator.SendLineAsync("up");
        await Expect(earth.GetByTestId("link-state-moon")).ToHaveTextAsync("LINK UP", Soon);
        await Expect(earth.GetByTestId("staleness-moon")).ToHaveTextAsync("current — in contact", Soon);
        await Expect(earth.GetByTestId($"campaign-complete-{campaign}")).ToHaveTextAsync("2", Soon);

        // An operator pauses from Earth's dashboard, confirming in the dialog: the pause reaches the Moon.
        await earth.GetByTestId($"action-pause-{campaign}").ClickAsync();
        await Expect(earth.GetByTestId("confirm-dialog")).ToBeVisibleAsync();
        await earth.Locator("#confirm-operator").FillAsync("flight-director-ana");
        await earth.GetByTestId("confirm-ok").ClickAsync();
        await Expect(earth.GetByTestId("toast")).ToContainTextAsync("paused", new() { Timeout = 30_000 });
        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, $"/api/v1/campaigns/{campaign}").Result.GetProperty("state").GetString() == "paused",
            "the pause given on earth's dashboard to reach the moon", TimeSpan.FromSeconds(30));
        // Earth's audit entry travels in its status stream (batched), so it may reach the Moon a little after the control write.
        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, "/api/v1/audit?action=campaign-pause").Result.EnumerateArray()
                .Any(e => e.GetProperty("actor").GetString() == "flight-director-ana" && e.GetProperty("replica").GetString() == "earth"),
            "earth's audit entry of the dashboard pause (operator flight-director-ana) to reach the moon", TimeSpan.FromSeconds(30));
        await Expect(moon.GetByTestId($"campaign-state-{campaign}")).ToHaveTextAsync("paused", Soon);
        await Expect(moon.GetByTestId($"action-resume-{campaign}")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(moon, "moon-paused");

        Assert.Empty(outside);
    }

    [Fact]
    public async Task Dashboard_CancelledDialog_ChangesNothing_AndAuditFiltersNarrowTheLog()
    {
        await using var node = await InProcessNode.StartAsync(Lunar.Dtn.Hosting.NodeRole.Moon, "moon");
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(201, (await node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 })).Status);
        var (_, body) = await node.PostAsync("/api/v1/campaigns", new { name = "wave-2", artifactId = Sha, approvalRequired = false });
        var campaign = body.GetProperty("id").GetString()!;
        Assert.Equal(200, (await node.PostAsync($"/api/v1/campaigns/{campaign}/start", null)).Status);

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(node.Url);
        await Expect(page.GetByTestId($"campaign-state-{campaign}")).ToHaveTextAsync("running", Soon);
        var before = node.Replica.Fingerprint();
        await page.GetByTestId($"action-cancel-{campaign}").ClickAsync();
        await Expect(page.GetByTestId("confirm-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(page.GetByTestId("confirm-dialog")).ToBeHiddenAsync();
        Assert.Equal(before, node.Replica.Fingerprint());

        // The emergency stop asks too, then pauses the campaign.
        await page.GetByTestId("emergency-stop").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId($"campaign-state-{campaign}")).ToHaveTextAsync("paused", Soon);

        // Audit filters: only pauses, then only registrations of artifacts.
        await page.Locator("#audit-filters input[name=action]").FillAsync("campaign-pause");
        await page.Locator("#audit-filters button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("audit-entry")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("audit-entry")).ToContainTextAsync("emergency stop");
        await page.Locator("#audit-filters input[name=action]").FillAsync("artifact-registered");
        await page.Locator("#audit-filters button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("audit-entry")).ToContainTextAsync("artifact-registered", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId($"artifact-{Sha}")).ToContainTextAsync("lunar-os 2.4.0");
        await Chromium.ScreenshotAsync(page, "moon-audit-filtered");
    }

    [Fact]
    public async Task ApiReference_RendersOffline_FromTheNodeAlone()
    {
        await using var node = await InProcessNode.StartAsync(Lunar.Dtn.Hosting.NodeRole.Earth, "earth");
        await using var chromium = await Chromium.LaunchAsync();
        var outside = new List<string>();
        var page = await chromium.NewPageAsync(outside);
        await page.GotoAsync(node.Url.TrimEnd('/') + "/scalar/v1");
        // Scalar renders the node's own document: the first tag's operations, and the other tags in its sidebar.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Readiness" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Campaigns").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "api-reference");
        Assert.Empty(outside);
    }

    private static async Task<double> StalenessSecondsAsync(IPage page)
    {
        var text = await page.GetByTestId("staleness-moon").TextContentAsync() ?? "";
        var m = StalenessText().Match(text);
        Assert.True(m.Success, $"staleness shown as '{text}', not as a duration");
        var value = 0.0;
        foreach (Match part in NumberAndUnit().Matches(m.Value))
            value += double.Parse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * part.Groups[2].Value switch { "d" => 86400, "h" => 3600, "min" => 60, _ => 1 };
        return value;
    }

    [GeneratedRegex(@"^[0-9].* old$")]
    private static partial Regex StalenessText();

    [GeneratedRegex(@"(\d+) (d|h|min|s)\b")]
    private static partial Regex NumberAndUnit();
}
