using System.Diagnostics;
using System.Text;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>
/// A real third-party program (aria2c, mktorrent, transmission-daemon, python3 with libtorrent) run by an interop test:
/// output captured, every run bounded in time, the whole process tree killed on dispose. A missing program fails the
/// test with the Debian package to install, never skips it.
/// </summary>
public sealed class ExternalTool : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalTool(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>The full path of <paramref name="program"/>; fails naming the Debian <paramref name="package"/> when it is not installed.</summary>
    public static string Require(string program, string package)
    {
        if (Path.IsPathRooted(program))
            return File.Exists(program) ? program : throw new InvalidOperationException($"{program} is not installed: this interop test needs the Debian package '{package}' (apt-get install -y {package}; .ci/run installs it)");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException($"{program} is not installed: this interop test needs the Debian package '{package}' (apt-get install -y {package}; .ci/run installs it)");
    }

    /// <param name="environment">Variables to set for the program (e.g. CURL_CA_BUNDLE for a curl-based client).</param>
    public static ExternalTool Start(string program, string package, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Require(program, package))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return new ExternalTool(Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}"));
    }

    /// <summary>Runs to the end within <paramref name="timeout"/>; returns the exit code (the output is in <see cref="Output"/>).</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, string package, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        using var tool = Start(program, package, args, workingDirectory: workingDirectory);
        var code = await tool.WaitForExitAsync($"{program} to finish", timeout);
        return (code, tool.Output);
    }

    public async Task<int> WaitForExitAsync(string what, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}; its output:\n{Output}"); }
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
