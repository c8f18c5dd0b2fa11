using System.Diagnostics;
using System.Threading.Channels;

namespace Lunar.Dtn.Simulator.Demo;

/// <summary>A node executable started by the demo: its output lines can be awaited; killed with its tree on dispose.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private NodeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Writer.TryWrite(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Writer.TryWrite(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts a sibling project's built dll (built with the simulator, same configuration).</summary>
    public static NodeProcess Start(string project, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(BuiltDll(project));
        foreach (var a in args) info.ArgumentList.Add(a);
        return new NodeProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {project}"));
    }

    public static string BuiltDll(string project)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, project, "bin", configuration, tfm, project + ".dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException($"{project} is not built next to the simulator; build the solution (dotnet build -c {configuration})");
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan timeout)
    {
        lock (_seen) if (_seen.FirstOrDefault(match) is { } earlier) return earlier;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                lock (_seen) _seen.Add(line);
                if (match(line)) return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out waiting for {what}; last output:\n{string.Join("\n", _seen.TakeLast(20))}");
        }
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
