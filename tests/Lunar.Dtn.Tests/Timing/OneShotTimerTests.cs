using Lunar.Dtn.Timing;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Timing;

/// <summary>
/// Issue 16, defect 4: an exception in a timer's action crashed the process (on the system clock, an unhandled exception on
/// a thread-pool thread). The policy now documented on <see cref="OneShotTimer"/>: contained, logged, counted; re-armable.
/// </summary>
public sealed class OneShotTimerTests
{
    [Fact]
    public void ActionThatThrows_IsContained_LoggedAndCounted_AndTheTimerCanBeArmedAgain()
    {
        var time = new FakeTimeProvider();
        var log = new RecordingLogger();
        var fired = 0;
        OneShotTimer timer = null!;
        timer = new OneShotTimer(time, () =>
        {
            timer.Cancel();
            if (++fired == 1) throw new InvalidOperationException("the store is unhealthy");
        }, log, "retransmit");
        using (timer)
        {
            timer.Schedule(TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromSeconds(1)); // would rethrow here (or, on the system clock, end the process)

            Assert.Equal(1, fired);
            Assert.Equal(1, timer.Failures);
            Assert.Equal("the store is unhealthy", timer.LastFailure?.Message);
            var line = Assert.Single(log.Lines);
            Assert.StartsWith("Error: The retransmit timer's action failed; contained", line, StringComparison.Ordinal);
            Assert.Contains("InvalidOperationException: the store is unhealthy", line, StringComparison.Ordinal);
            Assert.False(timer.IsPending);

            timer.Schedule(TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(2, fired);
            Assert.Equal(1, timer.Failures);
        }
    }

    [Fact]
    public async Task ActionThatThrows_OnTheSystemClock_IsContained_TheProcessGoesOn()
    {
        var log = new RecordingLogger();
        using var timer = new OneShotTimer(TimeProvider.System, () => throw new InvalidOperationException("thrown on a pool thread"), log);
        timer.Schedule(TimeSpan.FromMilliseconds(1));
        await log.WaitForAsync(l => l.Contains("thrown on a pool thread", StringComparison.Ordinal), "the contained failure to be logged");
        Assert.Equal(1, timer.Failures);
    }
}
