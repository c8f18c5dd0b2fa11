using System.Diagnostics;
using System.Threading.Channels;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A real child process (one of our executables) whose stdout and stderr lines a test can wait for,
/// with a timeout that says what was awaited. Killed (SIGKILL, whole tree) on dispose.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private ChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Writer.TryWrite(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Writer.TryWrite(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the built executable <paramref name="project"/> (e.g. "Lunar.Dtn.MoonNode") with <paramref name="args"/>.</summary>
    public static ChildProcess Start(string project, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(BuiltDll(project));
        foreach (var a in args) info.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {project}"));
    }

    /// <summary>Starts a built project below tests/ (e.g. "Lunar.Dtn.Bpv7Forwarder"), whose dll is not at the repository root.</summary>
    public static ChildProcess StartTestTool(string project, IEnumerable<string> args)
    {
        var testBin = AppContext.BaseDirectory; // .../tests/Lunar.Dtn.Tests/bin/<Configuration>/net10.0/
        var tfm = new DirectoryInfo(testBin).Name;
        var configuration = new DirectoryInfo(testBin).Parent!.Name;
        var dll = Path.GetFullPath(Path.Combine(testBin, "..", "..", "..", "..", project, "bin", configuration, tfm, project + ".dll"));
        if (!File.Exists(dll)) throw new FileNotFoundException($"{project} is not built at {dll}; build the solution first", dll);
        return Start(dll, args, null, isDll: true);
    }

    private static ChildProcess Start(string dll, IEnumerable<string> args, string? workingDirectory, bool isDll)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(isDll ? dll : BuiltDll(dll));
        foreach (var a in args) info.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}"));
    }

    /// <summary>The dll of a sibling project, built in the same configuration as this test assembly.</summary>
    public static string BuiltDll(string project)
    {
        var testBin = AppContext.BaseDirectory; // .../tests/Lunar.Dtn.Tests/bin/<Configuration>/net10.0/
        var tfm = new DirectoryInfo(testBin).Name;
        var configuration = new DirectoryInfo(testBin).Parent!.Name;
        var repo = Path.GetFullPath(Path.Combine(testBin, "..", "..", "..", "..", ".."));
        var dll = Path.Combine(repo, project, "bin", configuration, tfm, project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{project} is not built at {dll}; build the solution first", dll);
        return dll;
    }

    public IReadOnlyList<string> Seen { get { lock (_seen) return _seen.ToArray(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for a line matching <paramref name="match"/>; fails naming <paramref name="what"/> and the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        lock (_seen)
        {
            // A line may already have gone by while the test waited for another one.
            var earlier = _seen.FirstOrDefault(match);
            if (earlier is not null) return earlier;
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                lock (_seen) _seen.Add(line);
                if (match(line)) return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out waiting for {what}; output so far:\n{string.Join("\n", Seen.TakeLast(40))}");
        }
    }

    public async Task<int> WaitForExitAsync(string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {what} to exit"); }
        while (_lines.Reader.TryRead(out var line)) lock (_seen) _seen.Add(line);
        return _process.ExitCode;
    }

    /// <summary>Writes one line to the child's stdin.</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
