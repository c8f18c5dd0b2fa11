using System.Net;
using System.Net.Sockets;
using Lunar.Dtn.Links.Tcpcl;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lunar.Dtn.Tests.Links.Tcpcl;

/// <summary>TCPCLv4 sessions on 127.0.0.1: negotiation, segmentation, refusal, a session cut mid-transfer, keepalive, rejection.</summary>
public sealed class TcpclSessionTests
{
    private static readonly IPEndPoint AnyPort = new(IPAddress.Loopback, 0);

    private static TcpclSettings Settings(string id, ushort keepalive = 30, ulong segmentMru = 1_000_000, ulong transferMru = 10_000_000, Func<ulong?, TcpclRefuseReason?>? accept = null) =>
        new() { NodeId = id, KeepaliveSeconds = keepalive, SegmentMru = segmentMru, TransferMru = transferMru, AcceptTransfer = accept };

    private static async Task<T> Within<T>(Task<T> task, string what)
    {
        try { return await task.WaitAsync(TimeSpan.FromSeconds(20)); }
        catch (TimeoutException) { throw new TimeoutException($"timed out waiting for {what}"); }
    }

    private static async Task Within(Task task, string what)
    {
        try { await task.WaitAsync(TimeSpan.FromSeconds(20)); }
        catch (TimeoutException) { throw new TimeoutException($"timed out waiting for {what}"); }
    }

    /// <summary>A listener and one session dialled to it; received bundles and the accepting side's session are reported.</summary>
    private static async Task<(TcpclListener Listener, TcpclSession Client, Task<TcpclSession> Server)> PairAsync(TcpclSettings server, TcpclSettings client, Action<byte[]>? received = null)
    {
        var listener = new TcpclListener(AnyPort, server, TimeProvider.System, NullLogger.Instance);
        var accepted = new TaskCompletionSource<TcpclSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.SessionStarted += s => accepted.TrySetResult(s);
        if (received is not null) listener.BundleReceived += (_, b) => received(b);
        listener.Start();
        var tcp = new TcpClient();
        await tcp.ConnectAsync(listener.LocalEndpoint);
        var session = await TcpclSession.EstablishAsync(tcp.GetStream(), tcp, client, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        return (listener, session, accepted.Task);
    }

    [Fact]
    public async Task Negotiation_UsesTheSmallerKeepalive_AndSegmentsToThePeersMru_AcrossTenSegments()
    {
        var got = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (listener, client, serverTask) = await PairAsync(Settings("ipn:2.0", keepalive: 10, segmentMru: 1000), Settings("ipn:1.0", keepalive: 5, segmentMru: 5000), b => got.TrySetResult(b));
        await using (listener)
        await using (client)
        {
            var server = await Within(serverTask, "the accepted session");
            Assert.Equal(TimeSpan.FromSeconds(5), client.KeepaliveInterval);
            Assert.Equal(TimeSpan.FromSeconds(5), server.KeepaliveInterval);
            Assert.Equal(1000UL, client.SegmentSize);
            Assert.Equal(5000UL, server.SegmentSize);
            Assert.Equal("ipn:2.0", client.Peer.NodeId);
            Assert.Equal("ipn:1.0", server.Peer.NodeId);

            var bundle = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
            var result = await Within(client.SendAsync(bundle), "the transfer's acknowledgement");
            Assert.Equal(TcpclTransferStatus.Acknowledged, result.Status);
            Assert.Equal(bundle, await Within(got.Task, "the bundle at the listener"));
            Assert.Equal(10, client.SegmentsSent);
            Assert.Equal(10, server.SegmentsReceived);

            // And the other way over the same session, in 5000-byte segments.
            var back = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.BundleReceived += (_, b) => back.TrySetResult(b);
            Assert.True((await Within(server.SendAsync(bundle), "the reverse transfer")).Delivered);
            Assert.Equal(bundle, await Within(back.Task, "the bundle back at the client"));
            Assert.Equal(2, server.SegmentsSent);
        }
    }

    [Fact]
    public async Task RefusedTransfer_ComesBackAsRefused_WithThePeersReason_AndDeliversNothing()
    {
        var received = 0;
        var (listener, client, _) = await PairAsync(Settings("ipn:2.0", segmentMru: 100, accept: _ => TcpclRefuseReason.NoResources), Settings("ipn:1.0"), _ => Interlocked.Increment(ref received));
        await using (listener)
        await using (client)
        {
            var result = await Within(client.SendAsync(new byte[1000]), "the refusal");
            Assert.Equal(TcpclTransferStatus.Refused, result.Status);
            Assert.Equal("peer refused the transfer: NoResources", result.Detail);
            // The session is still good for the next transfer's refusal too, and nothing was handed up.
            Assert.Equal(TcpclTransferStatus.Refused, (await Within(client.SendAsync(new byte[10]), "the second refusal")).Status);
            Assert.Equal(0, received);
        }
    }

    [Fact]
    public async Task TransferLargerThanThePeersTransferMru_IsRefusedWithoutSendingIt()
    {
        var (listener, client, _) = await PairAsync(Settings("ipn:2.0", transferMru: 500), Settings("ipn:1.0"));
        await using (listener)
        await using (client)
        {
            var result = await client.SendAsync(new byte[501]);
            Assert.Equal(TcpclTransferStatus.Refused, result.Status);
            Assert.Equal("501 bytes exceeds the peer's transfer MRU of 500", result.Detail);
            Assert.Equal(0, client.SegmentsSent);
        }
    }

    [Fact]
    public async Task PeerClosingMidTransfer_TheBundleIsSentAgainInANewSession_AndDeliveredOnce()
    {
        var tcp = new TcpListener(AnyPort);
        tcp.Start();
        var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
        await using var sender = new TcpclSender("127.0.0.1", port, Settings("ipn:1.0"), TimeProvider.System, NullLogger.Instance) { MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        var bundle = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        sender.Enqueue(bundle);
        sender.Start();
        try
        {
            // First session: take two of its ten segments, then hang up.
            using (var flaky = await RawTcpclPeer.AcceptAsync(tcp, "the sender's first session"))
            {
                await flaky.HandshakeAsync(segmentMru: 100);
                var first = Assert.IsType<XferSegment>(await flaky.ReadAsync("the first segment"));
                Assert.True(first.IsStart);
                await flaky.SendAsync(new XferAck(first.Flags, first.TransferId, 100));
                Assert.IsType<XferSegment>(await flaky.ReadAsync("the second segment"));
            }
            // Second session: a real one, which hands up only complete transfers.
            var deliveries = new List<byte[]>();
            var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var client = await RawTcpclPeer.AcceptAsync(tcp, "the sender's second session");
            await using var session = await TcpclSession.EstablishAsync(client.Stream, client, Settings("ipn:2.0", segmentMru: 100), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            session.BundleReceived += (_, b) => { lock (deliveries) deliveries.Add(b); delivered.TrySetResult(); };
            await Within(delivered.Task, "the bundle in the second session");
            await Lunar.Dtn.Tests.Support.Eventually.Holds(() => sender.Delivered == 1, "the sender to count the acknowledged transfer");
            Assert.Equal(bundle, Assert.Single(deliveries));
            Assert.Equal(2, sender.Sessions);
            Assert.Equal(0, sender.Queued);
        }
        finally { tcp.Stop(); }
    }

    [Fact]
    public async Task SilentPeer_GetsKeepalives_ThenSessTermIdleTimeout_AfterTwiceTheInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var tcp = new TcpListener(AnyPort);
        tcp.Start();
        try
        {
            using var silent = await RawTcpclPeer.ConnectAsync((IPEndPoint)tcp.LocalEndpoint);
            var accepted = await tcp.AcceptTcpClientAsync();
            var establishing = TcpclSession.EstablishAsync(accepted.GetStream(), accepted, Settings("ipn:2.0", keepalive: 2), time, NullLogger.Instance, CancellationToken.None);
            var theirs = await silent.HandshakeAsync(keepalive: 4);
            Assert.Equal(2, theirs.KeepaliveSeconds);
            await using var session = await Within(establishing, "the session");
            Assert.Equal(TimeSpan.FromSeconds(2), session.KeepaliveInterval);

            time.Advance(TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.IsType<Keepalive>(await silent.ReadAsync("a KEEPALIVE after one interval without traffic"));
            Assert.False(session.Completion.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromSeconds(1));
            var term = Assert.IsType<SessTerm>(await silent.ReadAsync("SESS_TERM after twice the interval of silence"));
            Assert.Equal(TcpclTerminationReason.IdleTimeout, term.Reason);
            await Within(session.Completion, "the session to end");
            Assert.Contains("idle timeout", session.EndReason, StringComparison.Ordinal);
        }
        finally { tcp.Stop(); }
    }

    [Fact]
    public async Task PeerThatSendsKeepalives_IsNotTimedOut()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var tcp = new TcpListener(AnyPort);
        tcp.Start();
        try
        {
            using var peer = await RawTcpclPeer.ConnectAsync((IPEndPoint)tcp.LocalEndpoint);
            var accepted = await tcp.AcceptTcpClientAsync();
            var establishing = TcpclSession.EstablishAsync(accepted.GetStream(), accepted, Settings("ipn:2.0", keepalive: 2), time, NullLogger.Instance, CancellationToken.None);
            await peer.HandshakeAsync(keepalive: 2);
            var session = await Within(establishing, "the session");
            for (var i = 0; i < 5; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                time.Advance(TimeSpan.FromSeconds(1));
                Assert.IsType<Keepalive>(await peer.ReadAsync($"keepalive {i + 1}"));
                await peer.SendAsync(new Keepalive());
                await Lunar.Dtn.Tests.Support.Eventually.Holds(() => session.LastReceived == time.GetUtcNow(), "the session to note the peer's keepalive");
            }
            Assert.False(session.Completion.IsCompleted, session.EndReason);
            session.Close("test over"); // no orderly SESS_TERM: on a fake clock its reply timeout would never pass
        }
        finally { tcp.Stop(); }
    }

    [Fact]
    public async Task UnknownMessageType_GetsMsgRejectAndSessTerm()
    {
        var listener = new TcpclListener(AnyPort, Settings("ipn:2.0"), TimeProvider.System, NullLogger.Instance);
        listener.Start();
        await using (listener)
        {
            using var peer = await RawTcpclPeer.ConnectAsync(listener.LocalEndpoint);
            await peer.HandshakeAsync();
            await peer.SendRawAsync(0x0B, 0x00, 0x00);
            var reject = Assert.IsType<MsgReject>(await peer.ReadAsync("MSG_REJECT"));
            Assert.Equal(new MsgReject(TcpclRejectReason.TypeUnknown, 0x0B), reject);
            Assert.IsType<SessTerm>(await peer.ReadAsync("SESS_TERM"));
        }
    }

    [Fact]
    public async Task SecondSessInit_IsRejectedAsUnexpected()
    {
        var listener = new TcpclListener(AnyPort, Settings("ipn:2.0"), TimeProvider.System, NullLogger.Instance);
        listener.Start();
        await using (listener)
        {
            using var peer = await RawTcpclPeer.ConnectAsync(listener.LocalEndpoint);
            await peer.HandshakeAsync();
            await peer.SendAsync(new SessInit(0, 10, 10, "ipn:99.0", []));
            Assert.Equal(new MsgReject(TcpclRejectReason.Unexpected, (byte)TcpclMessageType.SessInit), await peer.ReadAsync("MSG_REJECT"));
        }
    }

    [Fact]
    public async Task WrongContactHeader_IsRefused_AndARealPeerIsStillServed()
    {
        var got = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (listener, client, _) = await PairAsync(Settings("ipn:2.0"), Settings("ipn:1.0"), b => got.TrySetResult(b));
        await using (listener)
        await using (client)
        {
            using (var http = await RawTcpclPeer.ConnectAsync(listener.LocalEndpoint))
            {
                await http.SendRawAsync("GET / HTTP/1.1\r\n"u8.ToArray());
                await Lunar.Dtn.Tests.Support.Eventually.Holds(() => listener.Refused == 1, "the listener to refuse the HTTP client");
            }
            using (var v3 = await RawTcpclPeer.ConnectAsync(listener.LocalEndpoint))
            {
                await v3.SendRawAsync(0x64, 0x74, 0x6e, 0x21, 0x03, 0x00);
                var header = new byte[6];
                await v3.Stream.ReadExactlyAsync(header);
                Assert.Equal(new SessTerm(false, TcpclTerminationReason.VersionMismatch), await v3.ReadAsync("SESS_TERM version mismatch"));
            }
            Assert.True((await Within(client.SendAsync(new byte[] { 1, 2, 3 }), "a transfer after the bad peers")).Delivered);
            Assert.Equal(new byte[] { 1, 2, 3 }, await Within(got.Task, "the bundle"));
        }
    }

    [Fact]
    public async Task Terminate_IsAnsweredWithAReply_AndEndsBothSides()
    {
        var (listener, client, serverTask) = await PairAsync(Settings("ipn:2.0"), Settings("ipn:1.0"));
        await using (listener)
        {
            var server = await Within(serverTask, "the accepted session");
            await Within(client.TerminateAsync(), "the orderly termination");
            Assert.Equal("session terminated (Unknown)", client.EndReason);
            await Within(server.Completion, "the server side to end");
            Assert.Equal("peer terminated the session (Unknown)", server.EndReason);
        }
    }
}
