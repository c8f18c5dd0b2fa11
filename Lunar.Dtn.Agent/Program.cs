using Lunar.Dtn.Agent;
using Lunar.Dtn.Agent.Drivers;
using Lunar.Dtn.Agent.Journal;
using Lunar.Dtn.Agent.Protocol;
using Lunar.Dtn.Agent.Runner;
using Lunar.Dtn.Security.Tls;
using Serilog;

// The per-server agent: registers its server with its executor node, long-polls for an assignment, carries it out
// through the configured driver, and reports every phase; a journal in Agent:DataDir carries it across restarts.
if (AgentHelp.Asked(args))
{
    Console.WriteLine(AgentHelp.Text);
    return 0;
}
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("LUNARDTN_");
var options = builder.Configuration.GetSection(AgentOptions.Section).Get<AgentOptions>() ?? new AgentOptions();
var errors = options.Validate();
if (errors.Count > 0)
{
    foreach (var e in errors) Console.Error.WriteLine($"configuration error: {e}");
    return 1;
}
// Mutual TLS to the node: the agent presents its own certificate and accepts the node's only from the constellation's CA.
ClientCredentials credentials;
try { Lunar.Dtn.Security.KeyFileMode.Check(options.Key); }
catch (FormatException e)
{
    Console.Error.WriteLine($"configuration error: Agent:Key: {e.Message}");
    return 1;
}
try { credentials = ClientCredentials.Load(options.Certificate, options.CaCertificate, options.Key); }
catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
{
    Console.Error.WriteLine($"configuration error: Agent:Certificate / Agent:Key / Agent:CaCertificate: {e.Message}");
    return 1;
}
if (credentials.Principal != options.ServerId)
{
    Console.Error.WriteLine($"configuration error: Agent:Certificate names '{credentials.Principal}', not this agent's server '{options.ServerId}' (Agent:ServerId): " +
        "an agent may act only for the server its certificate names");
    return 1;
}
AgentJournal journal;
try { journal = AgentJournal.Open(options.DataDir); }
catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"journal error: {e.Message}");
    return 2;
}

builder.WebHost.UseUrls(options.Urls);
builder.Services.AddSerilog((_, lc) => lc.MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
    .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
    .Enrich.WithProperty("server", options.ServerId)
    .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose));

var s = builder.Services;
s.AddSingleton(options);
s.AddSingleton(options.Hooks);
s.AddSingleton(options.Simulated);
s.AddSingleton(TimeProvider.System);
s.AddSingleton(journal);
s.AddSingleton<AgentMetrics>();
s.AddSingleton(sp => new Watchdog(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.RollbackDeadlineSeconds)));
s.AddSingleton(credentials);
// Everything the agent fetches from its node (assignment, report, torrent, content, announce) presents its certificate.
s.AddHttpClient("node", c =>
{
    c.BaseAddress = new Uri(options.NodeUrl.TrimEnd('/') + "/");
    c.Timeout = Timeout.InfiniteTimeSpan; // each call sets its own (a long poll outlasts any fixed default)
}).ConfigurePrimaryHttpMessageHandler(() => credentials.CreateHandler());
s.AddSingleton(sp => new NodeClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient("node"), options.ServerId, sp.GetRequiredService<TimeProvider>()));
s.AddSingleton(sp => NodeRetry.ForReports(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NodeClient>>(), sp.GetRequiredService<AgentMetrics>().ReportRetried));
s.AddSingleton(sp => NodeRetry.ForPolls(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NodeClient>>()));
if (options.Driver == "hooks") s.AddSingleton<IUpgradeDriver, HooksDriver>();
else s.AddSingleton<IUpgradeDriver, SimulatedDriver>();
s.AddHttpClient("tracker", c => c.Timeout = TimeSpan.FromSeconds(20)).ConfigurePrimaryHttpMessageHandler(() => credentials.CreateHandler());
s.AddSingleton<Lunar.Dtn.Agent.Artifacts.ArtifactFetcher>();
s.AddHostedService(sp => sp.GetRequiredService<Lunar.Dtn.Agent.Artifacts.ArtifactFetcher>());
s.AddSingleton<Lunar.Dtn.Agent.Artifacts.AssignmentChecks>();
s.AddSingleton<Registrar>();
s.AddSingleton<ReportOutbox>();
s.AddSingleton<UpgradeRun>();
s.AddHostedService<AgentRunner>();

await using var app = builder.Build();
var metrics = app.Services.GetRequiredService<AgentMetrics>();
app.MapGet("/healthz", () => Results.Ok(new { status = "live", server = options.ServerId, phase = metrics.Phase }));
app.MapGet("/metrics", async (CancellationToken ct) => Results.Text(await metrics.RenderAsync(ct), "text/plain; version=0.0.4; charset=utf-8"));
app.Logger.LogInformation("Agent for {Server} (site {Site}, tier {Tier}, driver {Driver}) reporting to {Node} over mutual TLS as {Principal}; journal in {DataDir}",
    options.ServerId, options.Site, options.Tier, options.Driver, options.NodeUrl, credentials.Principal, options.DataDir);
await app.RunAsync();
return Environment.ExitCode; // 3 when the runner stopped on an error it could not carry on from
