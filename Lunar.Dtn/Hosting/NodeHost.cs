using Lunar.Dtn.Hosting.Access;
using Lunar.Dtn.Hosting.ApiReference;
using Lunar.Dtn.Hosting.Dashboard;
using Lunar.Dtn.Hosting.Metrics;
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
    /// Initialises the data folder without serving: reads and validates the configuration exactly like serve, opens the
    /// node once (creating the store and, without trust configuration, the development constellation), prints the paths
    /// it created to <paramref name="output"/> and closes it. 0 when done or already initialised; 1 on bad configuration.
    /// </summary>
    public static int Init(string[] args, NodeRole role, TextWriter output, TextWriter errors, bool json = false)
    {
        var builder = CreateBuilder(args);
        var config = ReadConfiguration(builder.Configuration, errors);
        if (config is null) return 1;
        var paths = NodeRuntime.PathsOf(config.Node).Select(Path.GetFullPath).ToArray();
        var existed = paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToHashSet(StringComparer.Ordinal);
        var runtime = OpenRuntime(config, TimeProvider.System, errors);
        if (runtime is null) return 1;
        runtime.Dispose();
        var created = paths.Where(p => !existed.Contains(p)).ToArray();
        var dataDir = Path.GetFullPath(config.Node.DataDir);
        if (json)
        {
            CliJson.Write(output, new { node = config.Node.Id, role = role.ToString().ToLowerInvariant(), dataDir, alreadyInitialised = created.Length == 0,
                created, kept = paths.Where(existed.Contains).ToArray() });
            return 0;
        }
        if (created.Length == 0)
        {
            output.WriteLine($"{role} node '{config.Node.Id}': {dataDir} was already initialised; nothing changed");
            return 0;
        }
        output.WriteLine($"{role} node '{config.Node.Id}': initialised {dataDir}");
        foreach (var p in created) output.WriteLine($"created {p}");
        foreach (var p in paths.Where(existed.Contains)) output.WriteLine($"kept    {p}");
        return 0;
    }

    /// <summary>
    /// Builds the service without starting it; null (after writing every problem to <paramref name="errors"/>)
    /// when the configuration is bad. Tests use this to run nodes in-process.
    /// </summary>
    public static WebApplication? Build(string[] args, NodeRole role, TextWriter errors, TimeProvider time)
    {
        // Before anything is created: the store, logs and outbox are never readable by other users.
        Storage.FileCreationMask.Set(Storage.FileCreationMask.NodeMask);
        var builder = CreateBuilder(args);
        if (string.IsNullOrWhiteSpace(builder.Configuration["Urls"]))
            builder.WebHost.UseUrls(role == NodeRole.Earth ? "https://127.0.0.1:5080" : "https://127.0.0.1:5081");
        var config = ReadConfiguration(builder.Configuration, errors);
        if (config is null) return null;
        if (NodeHttps.PlainUrls(builder.Configuration["Urls"]) is { } plain)
        {
            errors.WriteLine($"configuration error: Urls '{plain}' is plain HTTP; this node serves only HTTPS with client certificates (e.g. Urls=https://127.0.0.1:5081)");
            return null;
        }
        var (node, relay, quorum, transfer) = config;
        var limitProblems = new List<string>();
        var limits = LimitSettings.From(builder.Configuration, limitProblems);
        var space = ArtifactSpace.From(builder.Configuration, Path.Combine(node.DataDir, "artifacts"), limitProblems);
        foreach (var p in limitProblems) errors.WriteLine($"configuration error: {p}");
        if (limitProblems.Count > 0) return null;

        builder.Services.AddSerilog((_, lc) => lc
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .Enrich.WithProperty("node", node.Id)
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(node.DataDir, "logs", "node-.json"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));

        var runtime = OpenRuntime(config, time, errors);
        if (runtime is null) return null;

        builder.WebHost.UseNodeHttps(runtime.Certificate);
        // Bodies: 64 KiB unless an endpoint declares otherwise (BodyLimits, BodyCapMiddleware).
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BodyLimits.JsonBodyBytes);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton(space);
        builder.Services.AddSingleton(new LongPolls(limits.LongPollSlots()));
        builder.Services.AddSingleton<BundleFileEndpoints.ImportSlot>();
        builder.Services.AddSingleton(sp => new DashboardEvents(sp.GetRequiredService<Replica>(), sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<NodeLinks>(),
            sp.GetRequiredService<QuorumPolicy>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            limits.FeedSlots(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DashboardEvents>>()));
        builder.Services.AddSingleton(AllowedHosts.Default(node.Id, node.HostNames));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(runtime.Replica);
        builder.Services.AddSingleton(new NodeIdentity(node.Id, role) { CertificateNotAfter = new DateTimeOffset(runtime.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero) });
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(relay);
        builder.Services.AddSingleton(quorum);
        builder.Services.AddSingleton(transfer);
        var content = new Artifacts.ArtifactContentStore(Path.Combine(node.DataDir, "artifacts"));
        builder.Services.AddSingleton(content);
        builder.Services.AddSingleton(_ => new Transfer.ArtifactReceiver(runtime.Replica, content));
        builder.Services.AddSingleton<NodeLinks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeLinks>());
        if (role == NodeRole.Moon)
        {
            // The Moon (and a Tier 1 node, which is a Moon node) executes: it schedules the servers it owns.
            builder.Services.AddSingleton(ExecutorOptionsFrom(builder.Configuration));
            builder.Services.AddSingleton(sp => new Executor(runtime.Replica, sp.GetRequiredService<ExecutorOptions>(), quorum));
            builder.Services.AddHostedService<ExecutorService>();
            // The mirror's private swarm: tracker, torrents and seeder (Swarm:* settings).
            if (!builder.Services.AddMirrorSwarm(builder.Configuration, errors)) return null;
        }
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
        builder.Services.AddOpenApi(o => o.DescribeRequestBodies().DescribeExamples());

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : 500,
            SuppressDiagnosticsCallback = ctx => ctx.Exception is Microsoft.AspNetCore.Http.BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseRouting();
        app.UseMiddleware<AccessGate>();
        app.UseMiddleware<BodyCapMiddleware>();
        app.MapOpenApi().Needs(Security.Roles.Viewer);
        app.MapNodeEndpoints();
        app.MapCampaignEndpoints();
        app.MapRecordEndpoints();
        app.MapArtifactEndpoints();
        app.MapAgentEndpoints();
        app.MapConstellationEndpoints();
        app.MapMeEndpoints();
        app.MapNodeMetrics();
        app.MapDashboard();
        app.MapApiReference();
        app.MapBundleFileEndpoints();
        if (role == NodeRole.Moon) app.MapSwarmEndpoints();
        // Live feed clients end as the node starts stopping, so that stopping does not wait for them.
        app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<DashboardEvents>().Dispose());
        app.Lifetime.ApplicationStopped.Register(runtime.Dispose);
        return app;
    }

    /// <summary>Executor settings: Executor:TickSeconds and Executor:Timeouts:&lt;phase&gt; (seconds), e.g. Executor:Timeouts:applying=600.</summary>
    private static ExecutorOptions ExecutorOptionsFrom(IConfiguration config)
    {
        var defaults = new ExecutorOptions();
        var timeouts = defaults.PhaseTimeouts.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var child in config.GetSection("Executor:Timeouts").GetChildren())
            if (Model.PhaseNames.TryParsePhase(child.Key, out var phase) && double.TryParse(child.Value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                timeouts[phase] = TimeSpan.FromSeconds(seconds);
        var tick = config.GetValue<double?>("Executor:TickSeconds") is { } t && t > 0 ? TimeSpan.FromSeconds(t) : defaults.TickInterval;
        return defaults with { PhaseTimeouts = timeouts, TickInterval = tick };
    }

    private static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("LUNARDTN_");
        builder.Configuration.AddCommandLine(args);
        return builder;
    }

    private static NodeConfiguration? ReadConfiguration(IConfiguration configuration, TextWriter errors)
    {
        var config = NodeConfiguration.Read(configuration, out var problems);
        foreach (var e in problems) errors.WriteLine($"configuration error: {e}");
        return config;
    }

    /// <summary>The one place a node is opened (serve and init); null after naming the problem when its files are unusable.</summary>
    private static NodeRuntime? OpenRuntime(NodeConfiguration config, TimeProvider time, TextWriter errors)
    {
        using var loggerFactory = new Serilog.Extensions.Logging.SerilogLoggerFactory(Log.Logger);
        try
        {
            return NodeRuntime.Open(config.Node, config.Relay.ParsePeers().Select(p => p.Id), time, loggerFactory.CreateLogger("Lunar.Dtn.Node"));
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"configuration error: {ex.Message}");
            return null;
        }
    }
}
