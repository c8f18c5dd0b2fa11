using System.Net;
using System.Net.Sockets;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunar.Dtn.Tests.Links;

/// <summary>Two replicas over real TCP on 127.0.0.1, with the real clock.</summary>
public sealed class TcpRelayTests : IAsyncLifetime
{
    private static readonly TrustStore Trust = new(1,
        new[] { "earth", "moon" }.Select(id => new Principal(id, "node", TestNodes.KeyFor(id).PublicKeyHex)), [], []);
    private static readonly SyncOptions FastSync = new() { InitialRetransmit = TimeSpan.FromMilliseconds(500) };
    private static readonly TcpRelaySettings FastRelay = new()
    {
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        KeepaliveInterval = TimeSpan.FromSeconds(2),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        MaxFrameBytes = 1024 * 1024,
    };

    private readonly List<IAsyncDisposable> _disposables = [];
    private Replica _earth = null!, _moon = null!;
    private TcpRelay _moonRelay = null!, _earthRelay = null!;

    public Task InitializeAsync()
    {
        _moon = NewReplica("moon");
        _earth = NewReplica("earth");
        _moonRelay = Relay(_moon, FastRelay with { Listen = new IPEndPoint(IPAddress.Loopback, 0) });
        _earthRelay = Relay(_earth, FastRelay with { Peers = [("moon", "127.0.0.1", _moonRelay.ListeningOn!.Port)] });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in _disposables.AsEnumerable().Reverse()) await d.DisposeAsync();
    }

    [Fact]
    public async Task Sync_OverTcp_CampaignReachesTheMoonAndBothConverge()
    {
        _earth.DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("upgrade", ctx.Stamp, ctx.ReplicaId) });
        await Eventually.Holds(() => _moon.Read((s, _) => s.Campaigns.ContainsKey("c1")), "campaign c1 to reach the moon over TCP");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint() && _earth.Vector.Equals(_moon.Vector), "earth and moon to converge");
    }

    [Fact]
    public async Task Listener_GarbageUnknownKeyAndOversizedFrames_AreCutOff_WhileTheRealPeerKeepsSyncing()
    {
        var port = _moonRelay.ListeningOn!.Port;
        await SendRawAsync(port, new Random(7).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 4096));
        await SendRawAsync(port, [0x7F, 0xFF, 0xFF, 0xFF, 1]); // a hello frame claiming 2 GB
        using (var stranger = NodeKey.Generate("mallory"))
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            await Assert.ThrowsAnyAsync<Exception>(() => LinkHandshake.RunAsync(client.GetStream(), stranger, Trust, "moon", CancellationToken.None));
        }

        for (var i = 0; i < 20; i++) _earth.SetNote($"srv-{i:D5}", "checked", "alice");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint(), "the real peer to sync despite the garbage");
        await Eventually.Holds(() => _moonRelay.Refused >= 3, "the moon to refuse the three bad connections");
    }

    [Fact]
    public async Task Session_DroppedMidway_IsRedialledAndSyncResumes()
    {
        _earth.SetNote("srv-00001", "before", "alice");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint(), "first sync");
        foreach (var link in _earthRelay.Links) link.Close();
        _earth.SetNote("srv-00002", "after the drop", "alice");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint(), "sync after the earth redials");
        Assert.All(_earthRelay.Links, l => Assert.True(l.IsUp));
    }

    private static async Task SendRawAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        try { await client.GetStream().WriteAsync(bytes); } catch (IOException) { }
    }

    private Replica NewReplica(string id) =>
        new(new ReplicaOptions { Id = id }, TestNodes.KeyFor(id), Trust, new MemoryReplicaStore(), TimeProvider.System);

    private TcpRelay Relay(Replica replica, TcpRelaySettings settings)
    {
        var relay = new TcpRelay(replica.Key, () => Trust, settings, TimeProvider.System, NullLogger.Instance);
        var syncs = new List<PeerSync>();
        relay.LinkAdded += link => { lock (syncs) syncs.Add(new PeerSync(replica, link, FastSync)); };
        relay.Start();
        _disposables.Add(relay);
        _disposables.Add(new AsyncAction(() => { lock (syncs) syncs.ForEach(s => s.Dispose()); }));
        return relay;
    }

    private sealed class AsyncAction(Action action) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() { action(); return ValueTask.CompletedTask; }
    }
}
