using System.Net;
using System.Threading.Channels;
using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Links.Mtcp;
using Lunar.Dtn.Tests.Bpv7;
using Lunar.Dtn.Tests.Links.Tcpcl;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Links.Mtcp;

/// <summary>MTCP, µD3TN's and dtn7's CBOR-framed TCP layer: framing, a sender and a listener on 127.0.0.1.</summary>
public sealed class MtcpTests
{
    [Theory]
    [InlineData(0, "40")]
    [InlineData(23, "57")]
    [InlineData(24, "5818")]
    [InlineData(300, "59012c")]
    [InlineData(70_000, "5a00011170")]
    public void Header_IsTheShortestCborByteStringHeader(int length, string hex) => Assert.Equal(hex, Convert.ToHexStringLower(MtcpFraming.Header(length)));

    [Fact]
    public async Task Ud3tnBundles_FramedAndReadBack_AreTheSameBytes()
    {
        var bundles = Vectors.HexLines("interop/ud3tn_generated_mtcp_to_c.hex");
        using var stream = new MemoryStream();
        foreach (var b in bundles) await MtcpFraming.WriteAsync(stream, b, CancellationToken.None);
        stream.Position = 0;
        foreach (var b in bundles) Assert.Equal(b, await MtcpFraming.ReadAsync(stream, 1 << 20, CancellationToken.None));
        Assert.Null(await MtcpFraming.ReadAsync(stream, 1 << 20, CancellationToken.None));
    }

    [Theory]
    [InlineData("9f", "not a CBOR byte string")]
    [InlineData("5f", "indefinite-length")]
    [InlineData("5a7fffffff", "exceeds the limit")]
    public async Task BadFrame_IsRefused(string hex, string expected)
    {
        using var stream = new MemoryStream(Convert.FromHexString(hex));
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => MtcpFraming.ReadAsync(stream, 1 << 20, CancellationToken.None));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SenderToListener_DeliversEveryBundleInOrder_AndAGarbageConnectionIsCutWithoutHarm()
    {
        var received = Channel.CreateUnbounded<byte[]>();
        await using var listener = new MtcpListener(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        listener.BundleReceived += b => received.Writer.TryWrite(b);
        listener.Start();
        using (var garbage = await RawTcpclPeer.ConnectAsync(listener.LocalEndpoint)) await garbage.SendRawAsync(0x9F, 0x00);

        await using var sender = new MtcpSender("127.0.0.1", listener.LocalEndpoint.Port, TimeProvider.System, NullLogger.Instance);
        var bundles = Enumerable.Range(0, 5).Select(i => Bpv7Codec.Encode(RawCbor.Sample(payloadBytes: 10 + i * 1000))).ToArray();
        foreach (var b in bundles) sender.Enqueue(b);
        sender.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        foreach (var b in bundles)
        {
            try { Assert.Equal(b, await received.Reader.ReadAsync(cts.Token)); }
            catch (OperationCanceledException) { throw new TimeoutException("timed out waiting for the bundles over MTCP"); }
        }
        Assert.True(sender.IsUp);
        Assert.Equal(5, sender.Sent);
    }
}
