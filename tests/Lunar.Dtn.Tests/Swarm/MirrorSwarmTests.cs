using System.Net;
using System.Net.Sockets;

using Lunar.Dtn.Swarm;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Swarm;

/// <summary>The Moon node's tracker, torrent endpoint and seeder, with our own peers and with raw bytes on the wire.</summary>
public sealed class MirrorSwarmTests
{
    [Fact]
    public async Task Torrent_OfAHeldArtifact_IsAPrivateV1TorrentAnnouncingToTheNodesTracker()
    {
        await using var f = await SwarmFixture.StartAsync(700_000);
        var (meta, _) = await f.TorrentAsync();
        Assert.Equal((f.Sha, 700_000L, true), (meta.Name, meta.Length, meta.IsPrivate));
        Assert.Equal($"{f.Node.Url}/announce", meta.Announce);
        Assert.Equal(Metainfo.ChoosePieceLength(700_000), meta.PieceLength);
    }

    [Fact]
    public async Task Torrent_UnknownOrNotHeld_Is404ProblemSayingWhy()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        using var unknown = await f.Node.Http.GetAsync($"/api/v1/artifacts/{new string('e', 64)}/torrent");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no artifact", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var metadataOnly = new string('d', 64);
        await f.Node.PostAsync("/api/v1/artifacts", new { name = "lunar-os", version = "9.9.9", sha256 = metadataOnly, sizeBytes = 5000 });
        using var notHeld = await f.Node.Http.GetAsync($"/api/v1/artifacts/{metadataOnly}/torrent");
        Assert.Equal(HttpStatusCode.NotFound, notHeld.StatusCode);
        Assert.Equal("application/problem+json", notHeld.Content.Headers.ContentType?.MediaType);
        Assert.Contains("does not hold the content", await notHeld.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Announce_UnknownInfoHash_GetsAFailureReasonAndTheServiceKeepsServing()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        using var agent = f.AgentClient("peer-01");
        var unknown = TrackerClient.Parse(await agent.GetByteArrayAsync(
            $"/announce?info_hash={TrackerClient.Escape(new byte[20])}&peer_id={TrackerClient.Escape(new byte[20])}&port=6881&left=10"));
        Assert.Contains("is not an artifact this node holds", unknown.Failure, StringComparison.Ordinal);
        var garbage = TrackerClient.Parse(await agent.GetByteArrayAsync("/announce?info_hash=abc"));
        Assert.Contains("info_hash must be 20 bytes", garbage.Failure, StringComparison.Ordinal);

        var known = TrackerClient.Parse(await agent.GetByteArrayAsync(
            $"/announce?info_hash={TrackerClient.Escape(meta.InfoHash)}&peer_id={TrackerClient.Escape(PeerHandshake.NewPeerId(false))}&port=6881&left=10&compact=1"));
        Assert.Null(known.Failure);
        Assert.Equal(5, known.IntervalSeconds);
        var swarm = await f.Node.GetJsonAsync("/api/v1/swarm");
        Assert.Equal(swarm.GetProperty("peerEndpoint").GetString(), Assert.Single(known.Peers).ToString()); // the mirror's own seeder
    }

    [Fact]
    public async Task Announce_ListsPeersOfTheAnnouncersSiteFirst()
    {
        await using var f = await SwarmFixture.StartAsync(10_000);
        var (meta, _) = await f.TorrentAsync();
        var hash = TrackerClient.Escape(meta.InfoHash);
        // Each peer is another agent (the tracker keeps one entry per agent).
        async Task<TrackerResponse> As(string agent, int port, string site)
        {
            using var http = f.AgentClient(agent);
            return TrackerClient.Parse(await http.GetByteArrayAsync(
                $"/announce?info_hash={hash}&peer_id={TrackerClient.Escape(PeerHandshake.NewPeerId(false))}&port={port}&left=10&site={site}&event=started"));
        }
        for (var i = 0; i < 6; i++) await As(SwarmFixture.AgentIds[i], 20_000 + i, i % 2 == 0 ? "alpha" : "beta");
        var answer = await As(SwarmFixture.AgentIds[6], 21_000, "beta");
        Assert.Equal([20_001, 20_003, 20_005], answer.Peers.Take(3).Select(p => p.Port).Order());
        Assert.Equal(7, answer.Peers.Count); // six others and the mirror
    }

    [Fact]
    public async Task OurPeer_DownloadsFromTheMirrorThroughTheTracker_AndResumesAfterARestart()
    {
        await using var f = await SwarmFixture.StartAsync(3_000_000);
        var (meta, _) = await f.TorrentAsync();
        var file = f.Dir.Sub("ours.bin");
        await using (var peer = new OurPeer(meta, file, f.AgentClient("peer-01")))
        {
            peer.Announce();
            await peer.CompleteAsync("our peer to download from the mirror", TimeSpan.FromSeconds(60));
            Assert.Equal(meta.Length, peer.Torrent.BytesFromMirror);
            Assert.Equal(f.Sha, Convert.ToHexStringLower(peer.Torrent.Store.Sha256()));
        }
        // Reopened: every piece is still held (checked again), nothing to fetch.
        using var again = PieceStore.OpenPartial(meta, file);
        Assert.True(again.IsComplete);
    }

    [Fact]
    public async Task PieceStore_PartialDownload_ResumesWithOnlyTheVerifiedPieces()
    {
        using var dir = new TempDir("lunar-pieces");
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000);
        var source = dir.Sub("source.bin");
        await File.WriteAllBytesAsync(source, content);
        var meta = Metainfo.Create(source, "x", 32 * 1024, true, null);
        var file = dir.Sub("partial.bin");
        using (var store = PieceStore.OpenPartial(meta, file))
        {
            Assert.True(store.TryWrite(0, content.AsSpan(0, 32 * 1024)));
            Assert.True(store.TryWrite(3, content.AsSpan(3 * 32 * 1024, 32 * 1024)));
            Assert.False(store.TryWrite(1, new byte[32 * 1024])); // wrong bytes: refused, nothing written
        }
        // A torn write: piece 3 is marked held but its bytes are damaged on disk.
        await using (var raw = new FileStream(file, FileMode.Open)) { raw.Position = 3 * 32 * 1024 + 5; raw.WriteByte(0xFF); }
        using var resumed = PieceStore.OpenPartial(meta, file);
        Assert.Equal([1, 2, 3, 4, 5, 6], resumed.Missing());
    }

    [Fact]
    public async Task Seeder_RequestOver16KiB_ClosesThatConnection_AndStillServesOthers()
    {
        await using var f = await SwarmFixture.StartAsync(500_000, "2.0.0", "--Swarm:SuperSeed=false");
        var (meta, _) = await f.TorrentAsync();
        var seeder = IPEndPoint.Parse((await f.Node.GetJsonAsync("/api/v1/swarm")).GetProperty("peerEndpoint").GetString()!);

        using (var raw = await RawPeerAsync(seeder, meta))
        {
            await raw.GetStream().WriteAsync(PeerMessage.Simple(PeerMessageId.Interested));
            await raw.GetStream().WriteAsync(PeerMessage.Request(0, 0, 32 * 1024));
            await AssertClosedAsync(raw, "the seeder to close a connection asking for a 32 KiB block");
        }
        using (var raw = await RawPeerAsync(seeder, meta))
        {
            await raw.GetStream().WriteAsync(new byte[] { 0, 0, 0, 3, 4, 1, 2 }); // a 'have' two bytes long
            await AssertClosedAsync(raw, "the seeder to close a connection sending a malformed have");
        }
        await using var peer = new OurPeer(meta, f.Dir.Sub("ours.bin"));
        peer.Dial(seeder);
        await peer.CompleteAsync("a well-behaved peer to be served after the bad ones", TimeSpan.FromSeconds(30));
    }

    private static async Task<TcpClient> RawPeerAsync(IPEndPoint seeder, Metainfo meta)
    {
        var c = new TcpClient();
        await c.ConnectAsync(seeder);
        await c.GetStream().WriteAsync(new PeerHandshake(meta.InfoHash, PeerHandshake.NewPeerId(false)).Encode());
        var theirs = await PeerHandshake.ReadAsync(c.GetStream(), CancellationToken.None);
        Assert.NotNull(theirs);
        Assert.Equal(meta.InfoHash, theirs.InfoHash);
        return c;
    }

    private static async Task AssertClosedAsync(TcpClient c, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[65536];
        try
        {
            while (await c.GetStream().ReadAsync(buffer, cts.Token) > 0) { }
        }
        catch (IOException) { }
        catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {what}"); }
    }

}
