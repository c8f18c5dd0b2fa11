using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Opens a stopped node's data folder for a verb (bundle export and import), from the node's ordinary configuration
/// (appsettings.json next to the executable, LUNARDTN_ environment variables, --Key=value tokens). A folder that was
/// never started is initialised exactly as serve and init would. A folder a running node holds is refused with a
/// sentence pointing at --node URL.
/// </summary>
public static class NodeDataFolder
{
    public const int ConfigurationProblem = 1;

    public static IConfiguration Configuration(string[] tokens) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("LUNARDTN_")
            .AddCommandLine(tokens)
            .Build();

    /// <summary>The opened node, or null after one line on <paramref name="errors"/> (exit <see cref="ConfigurationProblem"/>).</summary>
    public static NodeRuntime? Open(string[] tokens, TextWriter output, TextWriter errors)
    {
        var config = NodeConfiguration.Read(Configuration(tokens), out var problems);
        if (config is null)
        {
            errors.WriteLine("configuration error: " + string.Join("; ", problems));
            return null;
        }
        var dataDir = Path.GetFullPath(config.Node.DataDir);
        var fresh = !File.Exists(Path.Combine(dataDir, Storage.LiteDbReplicaStore.FileName));
        try
        {
            var runtime = NodeRuntime.Open(config.Node, config.Relay.ParsePeers().Select(p => p.Id), TimeProvider.System, NullLogger.Instance);
            if (fresh) output.WriteLine($"initialised {dataDir} for node '{config.Node.Id}' (a data folder never started before)");
            return runtime;
        }
        catch (DataFolderInUseException)
        {
            errors.WriteLine($"the data folder {dataDir} is in use by another process (is the node running?): stop it, or give --node URL to go through its API");
            return null;
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"configuration error: {ex.Message}");
            return null;
        }
    }
}
