namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// For tests against real sockets and processes, where no fake clock can drive time: polls a condition
/// until it holds, failing with what was awaited. The poll interval is a wait for a signal that has no
/// event of its own, not a sleep that hides a race.
/// </summary>
public static class Eventually
{
    public static async Task Holds(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
