using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Links;

/// <summary>
/// The dialler after a long blackout: nothing announces that contact is back, so it must keep trying often
/// enough that a catch-up does not wait on its backoff. Real sockets; the dialler's clock is fake, so the test
/// walks through a long blackout by reading each retry delay the dialler asks for and advancing by exactly that.
/// </summary>
public sealed class RedialBackoffTests
{
    [Fact]
    public async Task LongBlackout_TheDiallerNeverWaitsLongerThanTheCap_AndDefaultCapIsOneSecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new TcpRelaySettings().MaxReconnectDelay);

        // A relay in a blackout: it accepts connections and closes them at once, as the link emulator does.
        using var relayDown = new TcpListener(IPAddress.Loopback, 0);
        relayDown.Start();
        using var stop = new CancellationTokenSource();
        var refused = 0;
        var refuser = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var c = await relayDown.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref refused);
                }
            }
            catch (OperationCanceledException) { }
        });

        using var certs = new LinkCertificates("earth", "moon");
        var trust = certs.Trust();
        var time = new DelayRecordingTime();
        var settings = new TcpRelaySettings { Peers = [("moon", "127.0.0.1", ((IPEndPoint)relayDown.LocalEndpoint).Port)] };
        await using (var dialler = new TcpRelay("earth", certs["earth"], () => trust, settings, time, NullLogger.Instance))
        {
            dialler.Start();
            var waited = TimeSpan.Zero;
            var delays = new List<TimeSpan>();
            for (var i = 0; i < 60; i++)
            {
                var delay = await time.NextDelayAsync($"the dialler's retry delay #{i + 1}");
                delays.Add(delay);
                waited += delay;
                time.Advance(delay);
            }
            Assert.True(delays.Max() <= settings.MaxReconnectDelay,
                $"after {waited.TotalSeconds:0.#} s of blackout the dialler waited up to {delays.Max().TotalSeconds:0.###} s between attempts: {string.Join(", ", delays.Select(d => d.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)))}");
            Assert.True(waited > TimeSpan.FromSeconds(20), $"60 refused attempts spanned only {waited}: the backoff should have grown to its cap");
            Assert.True(Volatile.Read(ref refused) >= 60, $"the relay saw {refused} attempts");
        }
        await stop.CancelAsync();
        await refuser;
    }

    /// <summary>A fake clock that reports every delay asked of it, once the timer exists (so advancing fires it).</summary>
    private sealed class DelayRecordingTime : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _delays = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan) _delays.Writer.TryWrite(dueTime);
            return timer;
        }

        public async Task<TimeSpan> NextDelayAsync(string what)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { return await _delays.Reader.ReadAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {what}"); }
        }
    }
}
