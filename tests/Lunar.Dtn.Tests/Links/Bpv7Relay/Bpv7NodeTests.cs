using System.Net;
using System.Threading.Channels;
using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links.Bpv7Relay;
using Lunar.Dtn.Links.Tcpcl;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Links.Bpv7Relay;

/// <summary>
/// Two nodes' BPv7 sides on 127.0.0.1, each pointing straight at the other's listener (a relay is optional for the
/// protocol): a payload sent on one link comes up on the other, over TCPCLv4 and over MTCP; bundles for someone else
/// or from a stranger are dropped with a reason.
/// </summary>
public sealed class Bpv7NodeTests
{
    private static readonly IPEndPoint AnyPort = new(IPAddress.Loopback, 0);

    private static async Task<(Bpv7Node Earth, Bpv7Node Moon)> PairAsync(Bpv7Cla cla)
    {
        var moon = new Bpv7Node(new Bpv7NodeSettings { Self = EndpointId.Ipn(2, 7), Listen = [(cla, AnyPort)] }, TimeProvider.System, NullLogger.Instance);
        moon.Start();
        var port = moon.ListeningOn[0].Endpoint.Port;
        var scheme = cla == Bpv7Cla.Tcpclv4 ? "tcpclv4" : "mtcp";
        Assert.True(Bpv7PeerAddress.TryParse("moon", $"{scheme}://127.0.0.1:{port}/ipn:2.7", out var toMoon, out _));
        var earth = new Bpv7Node(new Bpv7NodeSettings { Self = EndpointId.Ipn(1, 7), Peers = [toMoon!] }, TimeProvider.System, NullLogger.Instance);
        earth.Start();
        await Task.CompletedTask;
        return (earth, moon);
    }

    [Theory]
    [InlineData(Bpv7Cla.Tcpclv4)]
    [InlineData(Bpv7Cla.Mtcp)]
    public async Task PayloadSentOnOneLink_IsDroppedByAReceiverThatDoesNotKnowTheSource(Bpv7Cla cla)
    {
        var (earth, moon) = await PairAsync(cla);
        await using (earth)
        await using (moon)
        {
            var link = Assert.Single(earth.Links);
            await Eventually.Holds(() => link.IsUp, "earth's link to come up");
            link.Send(new byte[] { 1, 2, 3 }, BundlePriority.Control);
            await Eventually.Holds(() => moon.Rejected == 1, "the moon to drop a bundle from a source it does not know");
            Assert.Contains("source ipn:1.7 is none of this node's peers", moon.LastRejection, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Bpv7Cla.Tcpclv4)]
    [InlineData(Bpv7Cla.Mtcp)]
    public async Task PayloadSentOnOneLink_ComesUpOnThePeersLink_Unchanged(Bpv7Cla cla)
    {
        // Moon listens and knows Earth (it would dial a relay at port 9, which nobody answers: only receiving matters here).
        Assert.True(Bpv7PeerAddress.TryParse("earth", "tcpclv4://127.0.0.1:9/ipn:1.7", out var toEarth, out _));
        await using var moon = new Bpv7Node(new Bpv7NodeSettings { Self = EndpointId.Ipn(2, 7), Listen = [(cla, AnyPort)], Peers = [toEarth!] }, TimeProvider.System, NullLogger.Instance);
        var received = Channel.CreateUnbounded<byte[]>();
        moon.LinkAdded += l => l.Received += b => received.Writer.TryWrite(b.ToArray());
        moon.Start();
        var scheme = cla == Bpv7Cla.Tcpclv4 ? "tcpclv4" : "mtcp";
        Assert.True(Bpv7PeerAddress.TryParse("moon", $"{scheme}://127.0.0.1:{moon.ListeningOn[0].Endpoint.Port}/ipn:2.7", out var toMoon, out _));
        await using var earth = new Bpv7Node(new Bpv7NodeSettings { Self = EndpointId.Ipn(1, 7), Peers = [toMoon!] }, TimeProvider.System, NullLogger.Instance);
        earth.Start();
        var link = Assert.Single(earth.Links);
        await Eventually.Holds(() => link.IsUp, "earth's link to come up");
        var payloads = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 100 + i * 40_000).Select(j => (byte)(i + j)).ToArray()).ToArray();
        foreach (var p in payloads) link.Send(p, BundlePriority.Status);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        foreach (var p in payloads)
        {
            try { Assert.Equal(p, await received.Reader.ReadAsync(cts.Token)); }
            catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for the payloads over {cla}"); }
        }
        Assert.Equal(3, moon.Accepted);
    }

    [Fact]
    public async Task BundleForAnotherEndpoint_OrExpired_IsDroppedWithTheReason()
    {
        Assert.True(Bpv7PeerAddress.TryParse("earth", "tcpclv4://127.0.0.1:9/ipn:1.7", out var toEarth, out _));
        await using var moon = new Bpv7Node(new Bpv7NodeSettings { Self = EndpointId.Ipn(2, 7), Listen = [(Bpv7Cla.Tcpclv4, AnyPort)], Peers = [toEarth!] }, TimeProvider.System, NullLogger.Instance);
        moon.Start();
        var settings = new TcpclSettings { NodeId = "ipn:1.0" };
        await using var sender = new TcpclSender("127.0.0.1", moon.ListeningOn[0].Endpoint.Port, settings, TimeProvider.System, NullLogger.Instance);
        sender.Start();
        var now = new CreationTimestamp(DtnTime.FromDateTime(DateTimeOffset.UtcNow), 0);
        sender.Enqueue(Bpv7Codec.Encode(Bpv7Bundle.Create(EndpointId.Ipn(1, 7), EndpointId.Ipn(3, 7), now, TimeSpan.FromDays(1), [1])));
        await Eventually.Holds(() => moon.Rejected == 1, "the moon to drop a bundle for ipn:3.7");
        Assert.Contains("addressed to ipn:3.7, not to this node (ipn:2.7)", moon.LastRejection, StringComparison.Ordinal);
        var old = new CreationTimestamp(DtnTime.FromDateTime(DateTimeOffset.UtcNow.AddDays(-2)), 0);
        sender.Enqueue(Bpv7Codec.Encode(Bpv7Bundle.Create(EndpointId.Ipn(1, 7), EndpointId.Ipn(2, 7), old, TimeSpan.FromDays(1), [1])));
        await Eventually.Holds(() => moon.Rejected == 2, "the moon to drop an expired bundle");
        Assert.StartsWith("Expired:", moon.LastRejection, StringComparison.Ordinal);
        sender.Enqueue([0x9F, 0x00]);
        await Eventually.Holds(() => moon.Rejected == 3, "the moon to drop garbage");
        Assert.Equal(0, moon.Accepted);
    }
}
