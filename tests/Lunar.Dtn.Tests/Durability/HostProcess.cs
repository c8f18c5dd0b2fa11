using System.Diagnostics;
using System.Globalization;

namespace Lunar.Dtn.Tests.Durability;

/// <summary>One replica host process: its stdout lines (posted to the shared board), a hard kill and a clean exit.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly LineBoard _board;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private bool _exited;
    private bool _disposed;

    private HostProcess(string name, LineBoard board, Process process)
    {
        Name = name;
        _board = board;
        _process = process;
    }

    public string Name { get; }

    public bool Killed { get; private set; }

    public static HostProcess Start(string name, LineBoard board, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(ReplicaHostLocator.Dotnet())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ReplicaHostLocator.HostDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(name, board, process);
        process.OutputDataReceived += (_, e) => board.Post(() => { if (e.Data is null) host._exited = true; else host._lines.Add(e.Data); });
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) board.Post(() => host._errors.Add(e.Data)); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>True once stdout closed (the process ended). Call under the board's gate (inside a wait condition).</summary>
    public bool Exited => _exited;

    public IEnumerable<string> Lines(string verb) => _lines.Where(l => l.StartsWith(verb + " ", StringComparison.Ordinal) || l == verb);

    public string? Last(string verb) => Lines(verb).LastOrDefault();

    public bool Has(string line) => _lines.Contains(line);

    /// <summary>The value of key=value in the last line of <paramref name="verb"/>, or null.</summary>
    public string? LastValue(string verb, string key) => Value(Last(verb), key);

    public static string? Value(string? line, string key) =>
        line?.Split(' ').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == key)?[1];

    public static long Long(string? text) => text is null ? 0 : long.Parse(text, CultureInfo.InvariantCulture);

    public string Tail(int count = 12) =>
        $"--- {Name}{(Killed ? " (killed)" : "")}: last lines ---\n" + string.Join('\n', _lines.TakeLast(count)) +
        (_errors.Count > 0 ? "\n--- stderr ---\n" + string.Join('\n', _errors.TakeLast(count)) : "");

    /// <summary>Sends one command line ("state", "exit") to the host.</summary>
    public void Command(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Closes stdin, which asks the host to stop cleanly; true if it exited within the timeout.</summary>
    public bool Exit(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        return _process.WaitForExit(timeout);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
