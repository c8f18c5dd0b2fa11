using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Agent.Drivers;

/// <summary>
/// Runs one hook with /bin/sh -c, its output logged line by line, and kills the whole process tree when it
/// outlives its timeout or the caller gives up — a hung hook must never hold the rollback deadline hostage.
/// </summary>
public sealed class ShellCommand(TimeProvider time, ILogger log)
{
    private const int TailLines = 3;

    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    public async Task<StepResult> RunAsync(string name, string command, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        foreach (var (k, v) in environment) info.Environment[k] = v;

        using var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var tail = new Queue<string>();
        void Line(string? line)
        {
            if (line is null) return;
            log.LogInformation("{Hook} hook: {Line}", name, line);
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines) tail.Dequeue();
            }
        }
        // Exited, not WaitForExitAsync: the latter also waits for the output pipes to close, which a hook's
        // left-behind background child could hold open forever.
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outputEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) outputEnded.TrySetResult(); else Line(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) errorEnded.TrySetResult(); else Line(e.Data); };

        log.LogInformation("Running {Hook} hook (timeout {Timeout} s): {Command}", name, timeout.TotalSeconds, command);
        var started = time.GetTimestamp();
        process.Start();
        process.StandardInput.Close(); // a hook that reads stdin gets end-of-file, not a hang
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await exited.Task.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process, name);
            ct.ThrowIfCancellationRequested();
            log.LogWarning("{Hook} hook timed out after {Timeout} s; process tree killed", name, timeout.TotalSeconds);
            return StepResult.Fail($"{name} hook timed out after {timeout.TotalSeconds:0.###} s and was killed");
        }
        var elapsed = time.GetElapsedTime(started);
        // The last lines (often the reason for a failure) may still be in the pipes; wait for them, but not for a
        // background child that keeps the pipes open.
        try { await Task.WhenAll(outputEnded.Task, errorEnded.Task).WaitAsync(OutputGrace, time, ct); }
        catch (TimeoutException) { log.LogWarning("{Hook} hook left its output open (a background child?); not waiting for it", name); }
        var code = process.ExitCode;
        string last;
        lock (tail) last = string.Join(" | ", tail);
        log.LogInformation("{Hook} hook exited with code {Code} after {Elapsed} ms", name, code, (long)elapsed.TotalMilliseconds);
        return code == 0
            ? StepResult.Ok($"{name} hook succeeded")
            : StepResult.Fail($"{name} hook exited with code {code}" + (last.Length > 0 ? $": {last}" : ""));
    }

    private void Kill(Process process, string name)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            // Reap it, but never wait long: the kill is SIGKILL, so it is gone in moments.
            process.WaitForExit(TimeSpan.FromSeconds(2));
        }
        catch (InvalidOperationException)
        {
            // it exited between the timeout and the kill
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.LogError(e, "Could not kill the {Hook} hook's process tree", name);
        }
    }
}
