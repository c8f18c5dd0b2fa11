using System.Net;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Links;

/// <summary>
/// A receive loop that dies of something other than the socket (issue 16, defect 2: an <see cref="InvalidOperationException"/>
/// from <c>Replica.Receive</c> on an unhealthy store) must not leave a session that keepalives keep "up" while nothing is
/// read: the session closes, says why, and the link is redialled. Real sockets on 127.0.0.1, the real clock.
/// </summary>
public sealed class TcpSessionFailureTests
{
    private static readonly LinkCertificates Certificates = new("earth", "moon");
    private static readonly TrustStore Trust = Certificates.Trust();

    private static readonly TcpRelaySettings Fast = new()
    {
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        KeepaliveInterval = TimeSpan.FromSeconds(2),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        MaxFrameBytes = 1024 * 1024,
    };

    [Fact]
    public async Task ReceiveHandlerThrows_TheSessionClosesSayingWhy_IsRedialled_AndBundlesFlowAgain()
    {
        var moonLog = new Support.RecordingLogger();
        var received = new List<byte>();
        var failing = 1;
        var sessionsUp = 0;
        await using var moon = new TcpRelay("moon", Certificates["moon"], () => Trust, Fast with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, moonLog);
        moon.LinkAdded += link =>
        {
            link.StateChanged += up => { if (up) Interlocked.Increment(ref sessionsUp); };
            link.Received += bundle =>
            {
                if (Volatile.Read(ref failing) == 1) throw new InvalidOperationException("the replica store is unhealthy");
                lock (received) received.Add(bundle.Span[0]);
            };
        };
        moon.Start();
        await using var earth = new TcpRelay("earth", Certificates["earth"], () => Trust, Fast with { Peers = [("moon", "127.0.0.1", moon.ListeningOn!.Port)] }, TimeProvider.System, NullLogger.Instance);
        earth.Start();
        var toMoon = earth.GetOrAdd("moon");
        await Eventually.Holds(() => toMoon.IsUp && Volatile.Read(ref sessionsUp) == 1, "the first session between earth and moon");

        toMoon.Send(new byte[] { 1 }, BundlePriority.Control);

        var why = await moonLog.WaitForAsync(l => l.Contains("Link session with earth closed", StringComparison.Ordinal),
            "the moon to close the session whose receive loop failed");
        Assert.Contains("InvalidOperationException: the replica store is unhealthy", why, StringComparison.Ordinal);
        Assert.Contains(moonLog.Lines, l => l.StartsWith("Error:", StringComparison.Ordinal) && l.Contains("the replica store is unhealthy", StringComparison.Ordinal));
        await Eventually.Holds(() => Volatile.Read(ref sessionsUp) >= 2 && toMoon.IsUp, "earth to redial the moon after the session closed");

        Volatile.Write(ref failing, 0);
        toMoon.Send(new byte[] { 2 }, BundlePriority.Control);
        await Eventually.Holds(() => { lock (received) return received.Contains(2); }, "a bundle to reach the moon over the new session");
    }
}
