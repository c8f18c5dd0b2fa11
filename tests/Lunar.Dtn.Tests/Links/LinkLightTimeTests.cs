using System.Net;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Links.Tcpcl;
using Lunar.Dtn.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Links;

/// <summary>
/// What the TLS link costs in light times: through a proxy that holds every chunk one one-way delay, each side sends a
/// bundle the instant its link is up, and the test measures when each arrives, in one-way delays since the dialler's
/// connection was accepted. The proxy sits where the relay does, so TCP's own handshake costs nothing here: these are
/// the trips the link protocol adds (ClientHello; ServerHello…Finished; client Certificate…Finished with the dialler's
/// first data; the listener's first data).
/// A busy machine only ever adds delay, so each figure is the least of up to three runs: an extra trip would show in all.
/// </summary>
[Collection(Fleet.FleetCollection.Name)] // timed against a real clock: not alongside the rest of the suite
public sealed class LinkLightTimeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task MutualTls_DiallersFirstDataArrivesAfterThreeOneWayTrips_ListenersAfterFour()
    {
        using var certs = new LinkCertificates("earth", "moon");
        var trust = certs.Trust();
        var settings = TcpRelaySettings();
        // Warm-up without delay, so that loading TLS and compiling the code paths does not count as light time.
        await MeasureAsync(certs, trust, settings, TimeSpan.Zero);

        var (diallerData, listenerData) = await LeastOfAsync(() => MeasureAsync(certs, trust, settings, OneWay), (d, l) => d / OneWay < 3.5 && l / OneWay < 4.5);
        var toListener = diallerData / OneWay;
        var toDialler = listenerData / OneWay;
        output.WriteLine($"one way {OneWay.TotalMilliseconds} ms: dialler's first data after {toListener:0.00} one-way delays, listener's after {toDialler:0.00}");
        Assert.True(toListener is >= 2.9 and < 3.5, $"the dialler's first data reached the listener after {toListener:0.00} one-way delays, not 3");
        Assert.True(toDialler is >= 3.9 and < 4.5, $"the listener's first data reached the dialler after {toDialler:0.00} one-way delays, not 4");
    }

    [Fact]
    public async Task Tcpclv4_InClearThreeAndFour_WithTlsSevenAndSix_OneWayTripsToEachSidesFirstBundle()
    {
        using var certs = new LinkCertificates("earth", "moon");
        var trust = certs.Trust();
        TcpclTls Tls(string id) => new(System.Net.Security.SslStreamCertificateContext.Create(certs[id], null, offline: true), id, () => trust);
        await MeasureTcpclAsync(Tls("moon"), Tls("earth"), TimeSpan.Zero); // warm-up

        var (plainToListener, plainToDialler) = await LeastOfAsync(() => MeasureTcpclAsync(null, null, OneWay), (d, l) => d / OneWay < 3.5 && l / OneWay < 4.5);
        var (tlsToListener, tlsToDialler) = await LeastOfAsync(() => MeasureTcpclAsync(Tls("moon"), Tls("earth"), OneWay), (d, l) => d / OneWay < 7.5 && l / OneWay < 6.5);
        output.WriteLine($"TCPCLv4, one way {OneWay.TotalMilliseconds} ms: in clear {plainToListener / OneWay:0.00} / {plainToDialler / OneWay:0.00}, " +
            $"with TLS {tlsToListener / OneWay:0.00} / {tlsToDialler / OneWay:0.00} one-way delays (dialler's first bundle at the listener / listener's at the dialler)");
        Assert.True(plainToListener / OneWay is >= 2.9 and < 3.5, $"in clear, the dialler's first bundle took {plainToListener / OneWay:0.00} one-way delays, not 3");
        Assert.True(plainToDialler / OneWay is >= 3.9 and < 4.5, $"in clear, the listener's first bundle took {plainToDialler / OneWay:0.00} one-way delays, not 4");
        Assert.True(tlsToListener / OneWay is >= 6.9 and < 7.5, $"with TLS, the dialler's first bundle took {tlsToListener / OneWay:0.00} one-way delays, not 7");
        Assert.True(tlsToDialler / OneWay is >= 5.9 and < 6.5, $"with TLS, the listener's first bundle took {tlsToDialler / OneWay:0.00} one-way delays, not 6");
    }

    private static async Task<(TimeSpan DiallerData, TimeSpan ListenerData)> MeasureTcpclAsync(TcpclTls? listenerTls, TcpclTls? diallerTls, TimeSpan oneWay)
    {
        var atListener = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var atDialler = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new TcpclListener(new IPEndPoint(IPAddress.Loopback, 0), new TcpclSettings { NodeId = "ipn:2.0", Tls = listenerTls }, TimeProvider.System, NullLogger.Instance);
        listener.BundleReceived += (_, _) => atListener.TrySetResult(DateTime.UtcNow);
        listener.SessionStarted += session => _ = session.SendAsync(new byte[] { 4, 5, 6 });
        listener.Start();
        await using var proxy = new RecordingProxy(listener.LocalEndpoint, oneWay);
        await using var sender = new TcpclSender("127.0.0.1", proxy.Port, new TcpclSettings { NodeId = "ipn:1.0", Tls = diallerTls }, TimeProvider.System, NullLogger.Instance);
        sender.BundleReceived += (_, _) => atDialler.TrySetResult(DateTime.UtcNow);
        sender.Enqueue([1, 2, 3]); // queued before the session: sent the instant it is up
        sender.Start();
        var limit = TimeSpan.FromSeconds(30);
        var connected = await proxy.FirstAccept.WaitAsync(limit);
        var listenerGot = await atListener.Task.WaitAsync(limit);
        var diallerGot = await atDialler.Task.WaitAsync(limit);
        return (listenerGot - connected, diallerGot - connected);
    }

    /// <summary>Runs <paramref name="measure"/> until <paramref name="good"/> holds, at most three times; the least of each figure.</summary>
    private static async Task<(TimeSpan, TimeSpan)> LeastOfAsync(Func<Task<(TimeSpan, TimeSpan)>> measure, Func<TimeSpan, TimeSpan, bool> good)
    {
        var (a, b) = await measure();
        for (var run = 1; run < 3 && !good(a, b); run++)
        {
            var (x, y) = await measure();
            (a, b) = (x < a ? x : a, y < b ? y : b);
        }
        return (a, b);
    }

    private static TcpRelaySettings TcpRelaySettings() => TcpRelayTests.FastRelay with { HandshakeTimeout = TimeSpan.FromSeconds(10), KeepaliveInterval = TimeSpan.FromSeconds(30) };

    /// <summary>Times (since the dialler's connect) at which each side's first bundle arrived at the other.</summary>
    private static async Task<(TimeSpan DiallerData, TimeSpan ListenerData)> MeasureAsync(LinkCertificates certs, TrustStore trust, TcpRelaySettings settings, TimeSpan oneWay)
    {
        var atListener = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var atDialler = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var moon = new TcpRelay("moon", certs["moon"], () => trust, settings with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, NullLogger.Instance);
        SendOnUpAndTimeArrival(moon, atListener);
        moon.Start();
        await using var proxy = new RecordingProxy(moon.ListeningOn!, oneWay);
        await using var earth = new TcpRelay("earth", certs["earth"], () => trust, settings with { Peers = [("moon", "127.0.0.1", proxy.Port)] }, TimeProvider.System, NullLogger.Instance);
        SendOnUpAndTimeArrival(earth, atDialler);
        earth.Start();
        var limit = TimeSpan.FromSeconds(20);
        var connected = await proxy.FirstAccept.WaitAsync(limit);
        var listenerGot = await atListener.Task.WaitAsync(limit);
        var diallerGot = await atDialler.Task.WaitAsync(limit);
        return (listenerGot - connected, diallerGot - connected);
    }

    private static void SendOnUpAndTimeArrival(TcpRelay relay, TaskCompletionSource<DateTime> arrived) =>
        relay.LinkAdded += link =>
        {
            link.Received += _ => arrived.TrySetResult(DateTime.UtcNow);
            link.StateChanged += up => { if (up) link.Send(new byte[] { 1, 2, 3 }, BundlePriority.Control); };
        };
}
