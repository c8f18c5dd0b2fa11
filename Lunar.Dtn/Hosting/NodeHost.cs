using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The one implementation of the Earth and Moon services: configuration, logging, the replica, the links
/// and the HTTP API. <c>Program.cs</c> of each executable only says which role it plays.
/// </summary>
public static class NodeHost
{
    /// <summary>Runs the service until stopped; 1 on bad configuration (every problem named at once).</summary>
    public static async Task<int> ServeAsync(string[] args, NodeRole role)
    {
        Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateBootstrapLogger();
        try
        {
            var app = Build(args, role, Console.Error, TimeProvider.System);
            if (app is null) return 1;
            await using (app)
            {
                var runtime = app.Services.GetRequiredService<NodeRuntime>();
                Log.Information("{Role} node {Id} serving; data in {DataDir}; replica vector {Vector}", role, runtime.Options.Id,
                    Path.GetFullPath(runtime.Options.DataDir), runtime.Replica.Vector);
                await app.RunAsync().ConfigureAwait(false);
            }
            return 0;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Builds the service without starting it; null (after writing every problem to <paramref name="errors"/>)
    /// when the configuration is bad. Tests use this to run nodes in-process.
    /// </summary>
    public static WebApplication? Build(string[] args, NodeRole role, TextWriter errors, TimeProvider time)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("LUNARDTN_");
        builder.Configuration.AddCommandLine(args);
        if (string.IsNullOrWhiteSpace(builder.Configuration["Urls"]))
            builder.WebHost.UseUrls(role == NodeRole.Earth ? "http://127.0.0.1:5080" : "http://127.0.0.1:5081");

        var node = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        var relay = builder.Configuration.GetSection(RelayOptions.Section).Get<RelayOptions>() ?? new RelayOptions();
        var quorum = QuorumFrom(builder.Configuration, out var quorumErrors);
        var problems = NodeOptionsValidator.Validate(node, relay).Concat(quorumErrors).ToArray();
        if (problems.Length > 0)
        {
            foreach (var e in problems) errors.WriteLine($"configuration error: {e}");
            return null;
        }

        builder.Services.AddSerilog((_, lc) => lc
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .Enrich.WithProperty("node", node.Id)
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(node.DataDir, "logs", "node-.json"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));

        NodeRuntime runtime;
        using (var loggerFactory = new Serilog.Extensions.Logging.SerilogLoggerFactory(Log.Logger))
        {
            try
            {
                runtime = NodeRuntime.Open(node, relay.ParsePeers().Select(p => p.Id), time, loggerFactory.CreateLogger("Lunar.Dtn.Node"));
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"configuration error: {ex.Message}");
                return null;
            }
        }

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(runtime.Replica);
        builder.Services.AddSingleton(new NodeIdentity(node.Id, role));
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(relay);
        builder.Services.AddSingleton(quorum);
        builder.Services.AddSingleton<NodeLinks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeLinks>());
        // Malformed bodies throw, so the problem details can say what was wrong with them.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (ctx.Exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad)
            {
                ctx.ProblemDetails.Title = "Invalid request";
                ctx.ProblemDetails.Detail = bad.InnerException is System.Text.Json.JsonException json ? $"the body is not valid JSON: {json.Message}" : bad.Message;
            }
            // Answers without an endpoint of ours (no such path, wrong method) still say what was wrong.
            ctx.ProblemDetails.Detail ??= ctx.ProblemDetails.Status switch
            {
                404 => $"no endpoint at {ctx.HttpContext.Request.Path}; see /openapi/v1.json",
                405 => $"{ctx.HttpContext.Request.Method} is not allowed on {ctx.HttpContext.Request.Path}; see /openapi/v1.json",
                _ => ctx.ProblemDetails.Title,
            };
        });
        builder.Services.AddOpenApi(o => o.DescribeRequestBodies());

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : 500,
            SuppressDiagnosticsCallback = ctx => ctx.Exception is Microsoft.AspNetCore.Http.BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapNodeEndpoints();
        app.MapCampaignEndpoints();
        app.MapRecordEndpoints();
        app.MapAgentEndpoints();
        app.Lifetime.ApplicationStopped.Register(runtime.Dispose);
        return app;
    }

    private static QuorumPolicy QuorumFrom(IConfiguration config, out IReadOnlyList<string> errors)
    {
        var list = new List<string>();
        var required = config.GetValue<int?>("Approvals:Tier1:Required") ?? QuorumPolicy.Default.Required;
        if (required < 1) list.Add($"Approvals:Tier1:Required must be at least 1 (got {required})");
        var roles = config["Approvals:Tier1:Roles"] is { } r
            ? r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : QuorumPolicy.Default.Roles.ToArray();
        if (roles.Length > required) list.Add($"Approvals:Tier1:Roles names {roles.Length} roles but only {required} signers are required");
        errors = list;
        return new QuorumPolicy(required, roles);
    }
}
