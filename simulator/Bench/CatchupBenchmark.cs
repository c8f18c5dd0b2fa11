using System.Diagnostics;
using System.Net;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Simulator.LinkEmulator;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// Catch-up after a blackout over the emulated Earth–Moon link, with the real node services (in-process
/// <see cref="NodeHost"/>: Kestrel, LiteDB, the TCP link layer) and the real link emulator between them
/// (Earth dials the emulator, which forwards to the Moon). The Moon registers its servers and both converge;
/// the link goes down; the Moon records one status change per server, each its own durable write as an
/// agent report makes it; the link comes back; the clock runs from the restore until Earth holds everything.
/// </summary>
public static class CatchupBenchmark
{
    public static async Task<CatchupBenchReport> RunAsync(CatchupSettings settings, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("lunar-bench-catchup-");
        try
        {
            var keys = Path.Combine(root.FullName, "keys");
            DevConstellation.Create(keys, ["earth", "moon"], [("alice", "flight-director"), ("bob", "base-lead")]);
            await using var moon = await BenchNode.StartAsync(NodeRole.Moon, "moon", Path.Combine(root.FullName, "moon"), keys, ["--Link:Listen=127.0.0.1:0"]).ConfigureAwait(false);
            var moonLink = moon.Links.ListeningOn ?? throw new InvalidOperationException("the moon's link is not listening");
            var emulator = new LinkEmulatorOptions(new IPEndPoint(IPAddress.Loopback, 0), "127.0.0.1", moonLink.Port, settings.Delay, settings.BandwidthMbps, 0, []);
            await using var proxy = new LinkProxy(emulator, TimeProvider.System, TextWriter.Null);
            proxy.Start();
            await using var earth = await BenchNode.StartAsync(NodeRole.Earth, "earth", Path.Combine(root.FullName, "earth"), keys,
                [$"--Link:Peers=moon=127.0.0.1:{proxy.ListeningOn!.Port}"]).ConfigureAwait(false);
            var run = new Run(settings, clock, earth, moon, proxy, progress);
            return await run.ExecuteAsync().ConfigureAwait(false);
        }
        finally
        {
            try { root.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class Run(CatchupSettings settings, Stopwatch clock, BenchNode earth, BenchNode moon, LinkProxy proxy, TextWriter progress)
    {
        private string _waitingFor = "";

        public async Task<CatchupBenchReport> ExecuteAsync()
        {
            try
            {
                return await MeasureAsync().ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Report(converged: false, failure: $"gave up after {settings.Timeout.TotalSeconds:0} s waiting for {_waitingFor}");
            }
        }

        private CatchupBenchReport Report(bool converged, string? failure, double blackout = 0, double write = 0, long up = 0, long down = 0,
            long bundles = 0, double? sessionUp = null, double? converge = null) => new()
            {
                StatusChanges = settings.Servers,
                OneWayDelaySeconds = settings.Delay.TotalSeconds,
                BandwidthMbps = settings.BandwidthMbps,
                BlackoutSeconds = Math.Round(blackout, 3),
                WriteSeconds = Math.Round(write, 3),
                BytesMoonToEarth = up,
                BytesEarthToMoon = down,
                BundleBytesMoonToEarth = bundles,
                SessionUpSeconds = sessionUp is { } s ? Math.Round(s, 3) : null,
                ConvergeSeconds = converge is { } c ? Math.Round(c, 3) : null,
                Converged = converged,
                Failure = failure,
                FingerprintEarth = earth.Replica.Fingerprint(),
                FingerprintMoon = moon.Replica.Fingerprint(),
            };

        private async Task<CatchupBenchReport> MeasureAsync()
        {
            // 1. The Moon's servers register (one write) and Earth learns them over the link.
            moon.Replica.Write(Enumerable.Range(0, settings.Servers).Select(BenchFleet.Register).ToArray());
            progress.WriteLine($"registered {settings.Servers} servers on the moon; waiting for earth to hold them");
            await UntilAsync(() => SameState(), "earth to hold the moon's registered servers before the blackout").ConfigureAwait(false);

            // 2. Blackout: the link is cut; the Moon records one status change per server, each its own durable write.
            proxy.SetDown(true);
            var blackout = Stopwatch.StartNew();
            await UntilAsync(() => earth.LinkTo("moon") is { IsUp: false } && moon.LinkTo("earth") is { IsUp: false }, "both nodes to see the link down").ConfigureAwait(false);
            var write = Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 0; i < settings.Servers; i++)
            {
                moon.Replica.SetStatus(BenchFleet.ServerId(i), (previous, seq) => new ServerStatus("bench-campaign", 1, seq, UpgradePhase.Complete, now, "2.4.0", null, previous?.RollbackCount ?? 0));
                Check($"the moon to record {settings.Servers} status changes");
            }
            var writeSeconds = write.Elapsed.TotalSeconds;
            progress.WriteLine($"recorded {settings.Servers} status changes during the blackout in {writeSeconds:0.0} s; holding the link down for {settings.Blackout.TotalSeconds:0.#} s in all");
            var holdFor = settings.Blackout - blackout.Elapsed;
            if (holdFor > TimeSpan.Zero) await Task.Delay(Min(holdFor, Remaining())).ConfigureAwait(false);
            Check("the blackout to end");

            // 3. Restore and time it: until Earth's session is up, and until Earth holds what the Moon holds.
            var target = moon.Replica.Vector;
            var earthLink = earth.LinkTo("moon") ?? throw new InvalidOperationException("earth has no link to the moon");
            var moonSync = moon.SyncWith("earth") ?? throw new InvalidOperationException("the moon has no sync with earth");
            var (upBefore, downBefore, bundlesBefore) = (proxy.BytesBackward, proxy.BytesForward, moonSync.Counters.BytesSent);
            var sessionUp = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            var caughtUp = new TaskCompletionSource<(double Seconds, long Up, long Down, long Bundles)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var restore = new Stopwatch();
            void OnLink(bool up) { if (up) sessionUp.TrySetResult(restore.Elapsed.TotalSeconds); }
            void OnEarthChanged()
            {
                if (earth.Replica.Vector.Dominates(target))
                    caughtUp.TrySetResult((restore.Elapsed.TotalSeconds, proxy.BytesBackward - upBefore, proxy.BytesForward - downBefore, moonSync.Counters.BytesSent - bundlesBefore));
            }
            earthLink.StateChanged += OnLink;
            earth.Replica.Changed += OnEarthChanged;
            try
            {
                progress.WriteLine("link restored; timing the catch-up");
                restore.Start();
                proxy.SetDown(false);
                _waitingFor = "earth to catch up with the moon after the restore";
                var (seconds, up, down, bundles) = await caughtUp.Task.WaitAsync(Remaining()).ConfigureAwait(false);
                double? upAt = sessionUp.Task.IsCompleted ? sessionUp.Task.Result : null;
                var same = earth.Replica.Fingerprint() == moon.Replica.Fingerprint();
                return Report(same, same ? null : "earth holds the moon's vector but the fingerprints differ", blackout.Elapsed.TotalSeconds - restore.Elapsed.TotalSeconds,
                    writeSeconds, up, down, bundles, upAt, seconds);
            }
            finally
            {
                earthLink.StateChanged -= OnLink;
                earth.Replica.Changed -= OnEarthChanged;
            }
        }

        private bool SameState() =>
            earth.Replica.Vector.Equals(moon.Replica.Vector) && earth.Replica.Fingerprint() == moon.Replica.Fingerprint();


        /// <summary>Polls <paramref name="condition"/> (it has no event of its own) until it holds or the run's time is up.</summary>
        private async Task UntilAsync(Func<bool> condition, string what)
        {
            _waitingFor = what;
            while (!condition())
            {
                Check(what);
                await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
            }
        }

        private void Check(string what)
        {
            _waitingFor = what;
            if (clock.Elapsed > settings.Timeout) throw new TimeoutException(what);
        }

        private TimeSpan Remaining() => Max(TimeSpan.Zero, settings.Timeout - clock.Elapsed);

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
