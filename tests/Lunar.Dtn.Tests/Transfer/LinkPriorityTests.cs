using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links.Tcp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>The TCP session's priority queue and bandwidth budget with chunks queued: control overtakes them.</summary>
public sealed class LinkPriorityTests
{
    [Fact]
    public async Task ControlBundle_QueuedAfterManyChunks_IsSentAheadOfThem_WithinOneChunkOfDelay()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        var settings = new TcpRelaySettings { KeepaliveInterval = TimeSpan.FromSeconds(30) };
        // 4 Mbit/s: one 64 KiB chunk takes 131 ms; the twenty queued take 2.6 s.
        var budget = new BandwidthBudget(4, TimeProvider.System);
        var session = new TcpSession("moon", client.GetStream(), null, settings, budget, TimeProvider.System, NullLogger.Instance);
        session.Start();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var chunk = new byte[64 * 1024];
                chunk[0] = (byte)i;
                session.Enqueue(chunk, BundlePriority.Bulk);
            }
            var read = server.GetStream();
            var first = await FrameCodec.ReadAsync(read, 1 << 20, CancellationToken.None);
            Assert.Equal(64 * 1024, first!.Value.Payload.Length);

            // Chunks are flowing: now a control bundle (a campaign pause) and a status bundle join the queue.
            var clock = Stopwatch.StartNew();
            session.Enqueue(new byte[] { 0xC0 }, BundlePriority.Control);
            session.Enqueue(new byte[] { 0x57, 0x57 }, BundlePriority.Status);
            var order = new List<int>();
            TimeSpan? controlAfter = null;
            for (var i = 0; i < 21; i++)
            {
                var frame = (await FrameCodec.ReadAsync(read, 1 << 20, CancellationToken.None))!.Value;
                order.Add(frame.Payload.Length);
                if (frame.Payload.Length == 1) controlAfter = clock.Elapsed;
            }
            var controlAt = order.IndexOf(1);
            var statusAt = order.IndexOf(2);
            // At most the chunks already taken from the queue (the one being written, the one waiting on the budget) go first.
            Assert.True(controlAt is >= 0 and <= 2, $"the control bundle was frame {controlAt} after the pause was queued: {string.Join(",", order)}");
            Assert.Equal(controlAt + 1, statusAt);
            Assert.True(controlAfter < TimeSpan.FromSeconds(1), $"the control bundle took {controlAfter} behind 2.6 s of queued chunks");
        }
        finally
        {
            session.Close("test over");
        }
    }
}
