using Lunar.Dtn.Agent;
using Serilog;

// The per-server agent. In this round it registers its configuration, serves /healthz and waits;
// assignments, downloads and the upgrade drivers arrive with the execution issue.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("LUNARDTN_");
var options = builder.Configuration.GetSection(AgentOptions.Section).Get<AgentOptions>() ?? new AgentOptions();
var errors = options.Validate();
if (errors.Count > 0)
{
    foreach (var e in errors) Console.Error.WriteLine($"configuration error: {e}");
    return 1;
}
builder.WebHost.UseUrls(options.Urls);
builder.Services.AddSerilog((_, lc) => lc.MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
    .Enrich.WithProperty("server", options.ServerId)
    .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose));
await using var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "live", server = options.ServerId }));
app.Logger.LogInformation("Agent for {Server} (site {Site}, tier {Tier}) reporting to {Node}", options.ServerId, options.Site, options.Tier, options.NodeUrl);
await app.RunAsync();
return 0;
