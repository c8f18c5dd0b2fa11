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
/// The one implementation of the Earth and Moon services: configuration, logging, the replica and the
/// HTTP API. <c>Program.cs</c> of each executable only says which role it plays.
/// </summary>
public static class NodeHost
{
    /// <summary>Runs the service until stopped; 1 on bad configuration (every problem named at once).</summary>
    public static async Task<int> ServeAsync(string[] args, NodeRole role)
    {
        Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateBootstrapLogger();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddEnvironmentVariables("LUNARDTN_");
            builder.Configuration.AddCommandLine(args);
            if (string.IsNullOrWhiteSpace(builder.Configuration["Urls"]))
                builder.WebHost.UseUrls(role == NodeRole.Earth ? "http://127.0.0.1:5080" : "http://127.0.0.1:5081");

            var node = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
            var relay = builder.Configuration.GetSection(RelayOptions.Section).Get<RelayOptions>() ?? new RelayOptions();
            var errors = NodeOptionsValidator.Validate(node, relay);
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine($"configuration error: {e}");
                return 1;
            }

            builder.Services.AddSerilog((_, lc) => lc
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .Enrich.WithProperty("node", node.Id)
                .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
                .WriteTo.File(new CompactJsonFormatter(), Path.Combine(node.DataDir, "logs", "node-.json"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));

            var time = TimeProvider.System;
            using var loggerFactory = new Serilog.Extensions.Logging.SerilogLoggerFactory(Log.Logger);
            NodeRuntime runtime;
            try
            {
                runtime = NodeRuntime.Open(node, relay.ParsePeers().Select(p => p.Id), time, loggerFactory.CreateLogger("Lunar.Dtn.Node"));
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"configuration error: {ex.Message}");
                return 1;
            }

            builder.Services.AddSingleton(time);
            builder.Services.AddSingleton(runtime);
            builder.Services.AddSingleton(runtime.Replica);
            builder.Services.AddSingleton(new NodeIdentity(node.Id, role));

            await using var app = builder.Build();
            app.MapNodeEndpoints();
            Log.Information("{Role} node {Id} serving; data in {DataDir}; replica vector {Vector}", role, node.Id, Path.GetFullPath(node.DataDir), runtime.Replica.Vector);
            await app.RunAsync().ConfigureAwait(false);
            runtime.Dispose();
            return 0;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }
}
