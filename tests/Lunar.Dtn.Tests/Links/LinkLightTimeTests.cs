using System.Net;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Links;

/// <summary>
/// What the TLS link costs in light times: through a proxy that holds every chunk one one-way delay, each side sends a
/// bundle the instant its link is up, and the test measures when each arrives, in one-way delays since the dialler's
/// connection was accepted. The proxy sits where the relay does, so TCP's own handshake costs nothing here: these are
/// the trips the link protocol adds (ClientHello; ServerHello…Finished; client Certificate…Finished with the dialler's
/// first data; the listener's first data).
/// </summary>
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

        var (diallerData, listenerData) = await MeasureAsync(certs, trust, settings, OneWay);
        var toListener = diallerData / OneWay;
        var toDialler = listenerData / OneWay;
        output.WriteLine($"one way {OneWay.TotalMilliseconds} ms: dialler's first data after {toListener:0.00} one-way delays, listener's after {toDialler:0.00}");
        Assert.True(toListener is >= 3 and < 3.5, $"the dialler's first data reached the listener after {toListener:0.00} one-way delays, not 3");
        Assert.True(toDialler is >= 4 and < 4.5, $"the listener's first data reached the dialler after {toDialler:0.00} one-way delays, not 4");
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
        var listenerGot = await atListener.Task.WaitAsync(limit).ConfigureAwait(false);
        var diallerGot = await atDialler.Task.WaitAsync(limit).ConfigureAwait(false);
        return (listenerGot - connected, diallerGot - connected);
    }

    private static void SendOnUpAndTimeArrival(TcpRelay relay, TaskCompletionSource<DateTime> arrived) =>
        relay.LinkAdded += link =>
        {
            link.Received += _ => arrived.TrySetResult(DateTime.UtcNow);
            link.StateChanged += up => { if (up) link.Send(new byte[] { 1, 2, 3 }, BundlePriority.Control); };
        };
}
