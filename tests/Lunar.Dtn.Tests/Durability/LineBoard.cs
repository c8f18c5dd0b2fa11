using System.Diagnostics;

namespace Lunar.Dtn.Tests.Durability;

/// <summary>
/// Where child processes post their output lines; tests block on it until a condition over those lines
/// holds. Every new line (or exit) wakes the waiters: no polling, no sleeps.
/// </summary>
internal sealed class LineBoard
{
    public object Gate { get; } = new();

    public void Post(Action change)
    {
        lock (Gate)
        {
            change();
            Monitor.PulseAll(Gate);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming what was awaited and the processes' recent output.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string awaited, Func<string> context)
    {
        var start = Stopwatch.GetTimestamp();
        lock (Gate)
        {
            while (!condition())
            {
                var left = timeout - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero || !Monitor.Wait(Gate, left) && !condition())
                    Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {awaited}\n{context()}");
            }
        }
    }
}
