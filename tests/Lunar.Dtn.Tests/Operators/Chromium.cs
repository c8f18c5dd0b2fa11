using Microsoft.Playwright;

namespace Lunar.Dtn.Tests.Operators;

/// <summary>
/// Headless Chromium from Debian (<c>/usr/bin/chromium</c>) driven by Playwright. No browser is ever downloaded:
/// when the package is missing the test fails and says which package to install.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"browser tests need Debian's Chromium at {ExecutablePath}: install the package 'chromium' (apt-get install -y chromium; bash .ci/run installs it)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>
    /// A page at laptop size (1366 x 900) whose browser presents principal <paramref name="principal"/>'s client certificate
    /// (P.crt and P.key.pem of <paramref name="credentialsDir"/>) to the node at <paramref name="node"/>, as an operator's
    /// browser with the imported P.p12 does; every request beyond 127.0.0.1 is refused and recorded in <paramref name="outside"/>.
    /// </summary>
    /// <remarks>
    /// The node's certificate is issued by the constellation's CA, which this throwaway browser profile does not trust:
    /// HTTPS errors are ignored for that reason alone (an operator's browser trusts ca.crt). Who the browser is, is still
    /// decided by the node from the client certificate.
    /// </remarks>
    public async Task<IPage> NewPageAsync(string node, string credentialsDir, string principal, List<string>? outside = null, int width = 1366, int height = 900)
    {
        var origin = new Uri(node).GetLeftPart(UriPartial.Authority);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IgnoreHTTPSErrors = true,
            ClientCertificates =
            [
                new ClientCertificate
                {
                    Origin = origin,
                    CertPath = Lunar.Dtn.Security.Tls.CertificateFiles.CertificatePath(credentialsDir, principal),
                    KeyPath = Lunar.Dtn.Security.Tls.CertificateFiles.KeyPath(credentialsDir, principal),
                },
            ],
        });
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host is "127.0.0.1" or "localhost" || url.Scheme is "data" or "blob") { await route.ContinueAsync(); return; }
            lock (outside ?? []) outside?.Add(route.Request.Url);
            await route.AbortAsync();
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Saves a full-page screenshot under tests/Lunar.Dtn.Tests/TestResults/screenshots (kept as a test artifact).</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
