using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Lunar.Dtn.Swarm;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>Our downloading peer against a hostile peer speaking raw bytes: endless or oversized data is cut off, never kept.</summary>
public sealed class PeerWireTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Leecher_PeerSendingOversizedOrUnrequestedBlocks_IsCutOffAndNothingIsKept(bool oversized)
    {
        using var dir = new TempDir("lunar-wire");
        var content = RandomNumberGenerator.GetBytes(256 * 1024);
        await File.WriteAllBytesAsync(dir.Sub("src"), content);
        var meta = Metainfo.Create(dir.Sub("src"), "x", 64 * 1024, true, null);
        using var hostile = new TcpListener(IPAddress.Loopback, 0);
        hostile.Start();
        await using var ours = new OurPeer(meta, dir.Sub("ours.bin"));
        ours.Dial((IPEndPoint)hostile.LocalEndpoint);

        using var c = await hostile.AcceptTcpClientAsync();
        var s = c.GetStream();
        var theirs = await PeerHandshake.ReadAsync(s, CancellationToken.None);
        Assert.NotNull(theirs);
        await s.WriteAsync(new PeerHandshake(meta.InfoHash, PeerHandshake.NewPeerId(false)).Encode());
        await s.WriteAsync(PeerMessage.Frame(PeerMessageId.Bitfield, [0xF0]));
        await s.WriteAsync(PeerMessage.Simple(PeerMessageId.Unchoke));
        var closed = false;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            // Endless data: block after block, bigger than asked (or never asked for), until our peer hangs up.
            for (var i = 0; i < 200 && !limit.IsCancellationRequested; i++)
            {
                var block = oversized ? new byte[32 * 1024] : content.AsSpan(0, 16 * 1024).ToArray();
                await s.WriteAsync(PeerMessage.Piece(0, oversized ? 0 : 8, block), limit.Token); // offset 8 was never requested
            }
        }
        catch (IOException) { closed = true; }
        if (!closed)
        {
            var buffer = new byte[4096];
            try { while (await s.ReadAsync(buffer, limit.Token) > 0) { } closed = true; }
            catch (IOException) { closed = true; }
            catch (OperationCanceledException) { }
        }
        Assert.True(closed, "our peer should close a connection that sends more than it asked for");
        Assert.Equal(0, ours.Torrent.Store.HeldCount);
        Assert.Equal(0, ours.Torrent.BytesFromPeers);
    }
}
