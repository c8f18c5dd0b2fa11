using System.Text.RegularExpressions;
using Lunar.Dtn.Tests.EndToEnd;
using Lunar.Dtn.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// The dashboard in real headless Chromium against Earth and Moon as real processes with the link emulator between
/// them: a running campaign, live updates as agents report, the link going down and up with the staleness growing and
/// clearing, and a pause given on Earth's dashboard reaching the Moon. The browser presents an operator's client
/// certificate, as an operator's browser with the imported P.p12 does; the node, not the page, says who acts.
/// </summary>
[Collection(Fleet.FleetCollection.Name)] // real processes on short timeouts: not alongside the rest of the suite
public sealed partial class DashboardBrowserTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task Dashboard_ShowsCampaignLiveAsAgentsReport_LinkDownAndUpWithStaleness_AndAPauseReachesTheMoon()
    {
        string[] servers = ["srv-001", "srv-002", "srv-003", "srv-004"];
        await using var pair = await NodePair.StartAsync("300ms", agents: servers);
        await using var chromium = await Chromium.LaunchAsync();
        var outside = new List<string>();

        await NodePair.PostAsync(pair.EarthApi, "/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 104_857_600 });
        var campaign = (await NodePair.PostAsync(pair.EarthApi, "/api/v1/campaigns", new { name = "wave-1", artifactId = Sha, approvalRequired = false })).GetProperty("id").GetString()!;
        await NodePair.PostAsync(pair.EarthApi, $"/api/v1/campaigns/{campaign}/start");
        var agents = servers.Select(id => new ScriptedAgent(pair.ClientAs(pair.MoonApi, id), id)).ToArray();
        for (var i = 0; i < agents.Length; i++) await agents[i].RegisterAsync(i % 2 == 0 ? "shackleton" : "peary", i == 0 ? 2 : 3);

        // The Moon's dashboard shows the campaign running, as soon as it arrives over the relay.
        var moon = await chromium.NewPageAsync(pair.MoonApi.BaseAddress!.ToString(), pair.CredentialsDir, "ada", outside);
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
        var earth = await chromium.NewPageAsync(pair.EarthApi.BaseAddress!.ToString(), pair.CredentialsDir, "ada", outside);
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

        // An operator pauses from Earth's dashboard, confirming in the dialog (which names her, from her certificate): the pause reaches the Moon.
        await Expect(earth.GetByTestId("me")).ToContainTextAsync("ada");
        await earth.GetByTestId($"action-pause-{campaign}").ClickAsync();
        await Expect(earth.GetByTestId("confirm-dialog")).ToBeVisibleAsync();
        await Expect(earth.GetByTestId("confirm-actor")).ToHaveTextAsync("ada (admin)");
        await earth.GetByTestId("confirm-ok").ClickAsync();
        await Expect(earth.GetByTestId("toast")).ToContainTextAsync("paused", new() { Timeout = 30_000 });
        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, $"/api/v1/campaigns/{campaign}").Result.GetProperty("state").GetString() == "paused",
            "the pause given on earth's dashboard to reach the moon", TimeSpan.FromSeconds(30));
        // Earth's audit entry travels in its status stream (batched), so it may reach the Moon a little after the control write.
        await Eventually.Holds(() => NodePair.GetAsync(pair.MoonApi, "/api/v1/audit?action=campaign-pause").Result.EnumerateArray()
                .Any(e => e.GetProperty("actor").GetString() == "ada" && e.GetProperty("replica").GetString() == "earth"),
            "earth's audit entry of the dashboard pause (by ada, the principal of the browser's certificate) to reach the moon", TimeSpan.FromSeconds(30));
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

        var page = await chromium.NewPageAsync(node.Url, node.CredentialsDir, AdminOf(node));
        await page.GotoAsync(node.Url);
        await Expect(page.GetByTestId($"campaign-state-{campaign}")).ToHaveTextAsync("running", Soon);
        await Expect(page.GetByTestId("me")).ToContainTextAsync($"you are {AdminOf(node)} · admin", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("cert-warning")).ToBeHiddenAsync();
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
        var page = await chromium.NewPageAsync(node.Url, node.CredentialsDir, AdminOf(node), outside);
        await page.GotoAsync(node.Url.TrimEnd('/') + "/scalar/v1");
        // Scalar renders the node's own document: the first tag's operations, and the other tags in its sidebar.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Readiness" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Campaigns").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "api-reference");
        Assert.Empty(outside);
    }

    [Fact]
    public async Task CrossSiteFormPost_FromAnotherOriginsPage_CannotStartACampaign_ThoughTheBrowserPresentsTheCertificate()
    {
        await using var node = await InProcessNode.StartAsync(Lunar.Dtn.Hosting.NodeRole.Moon, "moon");
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(201, (await node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "2.4.0", sha256 = Sha, sizeBytes = 1000 })).Status);
        var (_, body) = await node.PostAsync("/api/v1/campaigns", new { name = "target", artifactId = Sha, approvalRequired = false });
        var campaign = body.GetProperty("id").GetString()!;
        var start = $"{node.Url.TrimEnd('/')}/api/v1/campaigns/{campaign}/start";
        var before = node.Replica.Fingerprint();
        var state = (await node.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("state").GetString();
        Assert.NotEqual("running", state);

        // A hostile page on another origin, opened in the operator's browser (which holds her certificate for the node):
        // a form that posts to the node's start endpoint the moment it loads, the classic CSRF.
        var page = await chromium.NewPageAsync(node.Url, node.CredentialsDir, AdminOf(node));
        await page.RouteAsync("https://evil.example/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"<!doctype html><form id=f method=post action=\"{start}\"></form><script>document.getElementById('f').submit()</script>",
        }));
        var posted = page.WaitForResponseAsync(r => r.Url == start);
        await page.GotoAsync("https://evil.example/");
        var answer = await posted;

        Assert.Equal(403, answer.Status);
        Assert.Contains("Cross-site request refused", await answer.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, node.Replica.Fingerprint());
        Assert.Equal(state, (await node.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("state").GetString());

        // Positive control: the same browser and certificate start it from the node's own dashboard.
        var own = await chromium.NewPageAsync(node.Url, node.CredentialsDir, AdminOf(node));
        await own.GotoAsync(node.Url);
        await own.GetByTestId($"action-start-{campaign}").ClickAsync();
        await own.GetByTestId("confirm-ok").ClickAsync();
        await Expect(own.GetByTestId($"campaign-state-{campaign}")).ToHaveTextAsync("running", Soon);
    }

    [Fact]
    public async Task Dashboard_CertificatesDueWithin60Days_ShowAWarningBannerNamingThem()
    {
        using var dir = new TempDir("lunar-expiry-browser");
        var c = dir.Sub("c");
        // Issued 330 days ago: every certificate of this constellation has 35 days left.
        Lunar.Dtn.Security.DevConstellation.Create(c, ["moon"], [], TestCredentials.Operators, null, DateTimeOffset.UtcNow.AddDays(-330));
        await using var node = await InProcessNode.StartAsync(Lunar.Dtn.Hosting.NodeRole.Moon, "moon", [$"--Node:Constellation={c}/constellation.json", $"--Node:KeyFile={c}/moon.key"], dir.Sub("moon"));
        await using var chromium = await Chromium.LaunchAsync();

        var page = await chromium.NewPageAsync(node.Url, c, "vic");
        await page.GotoAsync(node.Url);

        await Expect(page.GetByTestId("cert-warning")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("cert-warning")).ToContainTextAsync("4 certificates stop acting within 60 days");
        await Expect(page.GetByTestId("expiring-vic")).ToContainTextAsync("vic (operator) in 34 d");
        await Expect(page.GetByTestId("expiring-moon")).ToContainTextAsync("moon (node)");
        await Chromium.ScreenshotAsync(page, "moon-certificates-expiring");
    }

    /// <summary>The admin of a node's credentials folder: ada in a test constellation, "admin" in a node's own development folder.</summary>
    private static string AdminOf(InProcessNode node) =>
        File.Exists(Path.Combine(node.CredentialsDir, "ada.pem")) ? "ada" : Lunar.Dtn.Hosting.NodeRuntime.DevAdmin;

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
