using System.Reflection;

namespace Lunar.Dtn.Tests.Durability;

/// <summary>
/// The replica host's dll, built by the test project's build (a non-referenced project reference) and
/// recorded by path for this configuration; and the dotnet executable to run it with.
/// </summary>
internal static class ReplicaHostLocator
{
    public static string HostDll()
    {
        var recorded = typeof(ReplicaHostLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ReplicaHostPath")?.Value;
        var path = recorded is null ? null : Path.GetFullPath(recorded);
        if (path is null || !File.Exists(path))
            throw new FileNotFoundException($"replica host not built at '{path}': build the solution (dotnet build Lunar.Dtn.sln -c <configuration>) first");
        return path;
    }

    public static string Dotnet()
    {
        // Prefer the very host running these tests, so the child gets the same runtime.
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli)) return fromCli;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
        return "dotnet";
    }
}
