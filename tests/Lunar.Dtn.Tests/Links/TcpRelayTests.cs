using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Lunar.Dtn.Links.Tcp;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Links;

/// <summary>Two replicas over real TCP on 127.0.0.1 inside mutual TLS 1.3, with the real clock.</summary>
public sealed class TcpRelayTests : IAsyncLifetime
{
    private static readonly SyncOptions FastSync = new() { InitialRetransmit = TimeSpan.FromMilliseconds(500) };
    internal static readonly TcpRelaySettings FastRelay = new()
    {
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        KeepaliveInterval = TimeSpan.FromSeconds(2),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        MaxFrameBytes = 1024 * 1024,
    };

    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly LinkCertificates _certs = new("earth", "moon", "tier1");
    private readonly RecordingLogger _moonLog = new(), _earthLog = new();
    private TrustStore _moonTrust = null!;
    private Replica _earth = null!, _moon = null!;
    private TcpRelay _moonRelay = null!, _earthRelay = null!;

    public Task InitializeAsync()
    {
        _moonTrust = _certs.Trust();
        _moon = NewReplica("moon");
        _earth = NewReplica("earth");
        _moonRelay = Relay(_moon, FastRelay with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, () => Volatile.Read(ref _moonTrust), _moonLog);
        _earthRelay = Relay(_earth, FastRelay with { Peers = [("moon", "127.0.0.1", _moonRelay.ListeningOn!.Port)] }, () => _certs.Trust(), _earthLog);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in _disposables.AsEnumerable().Reverse()) await d.DisposeAsync();
        _certs.Dispose();
    }

    [Fact]
    public async Task Sync_OverTls_CampaignReachesTheMoonAndBothConverge()
    {
        _earth.DefineCampaign("c1", "alice", ctx => new CampaignDefinition { Name = new("upgrade", ctx.Stamp, ctx.ReplicaId) });
        await Eventually.Holds(() => _moon.Read((s, _) => s.Campaigns.ContainsKey("c1")), "campaign c1 to reach the moon over TLS");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint() && _earth.Vector.Equals(_moon.Vector), "earth and moon to converge");
        Assert.Contains(_moonLog.Lines, l => l.Contains("Link session with earth up over mutual TLS 1.3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlaintextLinkDial_OldHelloGarbageAndOversizedFrames_AreRefusedAndLogged_WhileTheRealPeerKeepsSyncing()
    {
        var port = _moonRelay.ListeningOn!.Port;
        // What a lunar-dtn/tcp/1 node sent first, in clear: a hello frame (type 1) with its protocol and id.
        var answers = new List<byte[]>
        {
            await SendRawAsync(port, PlaintextHello("earth")),
            await SendRawAsync(port, new Random(7).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 4096)),
            await SendRawAsync(port, [0x7F, 0xFF, 0xFF, 0xFF, 1]), // a frame claiming 2 GB
        };

        for (var i = 0; i < 20; i++) _earth.SetNote($"srv-{i:D5}", "checked", "alice");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint(), "the real peer to sync despite the plaintext dials");
        await Eventually.Holds(() => _moonRelay.Refused >= 3, "the moon to refuse the three plaintext connections");
        Assert.True(_moonLog.Logged("plaintext instead of a TLS handshake (first byte 0x00)"), string.Join("\n", _moonLog.Lines));
        Assert.True(_moonLog.Logged("plaintext instead of a TLS handshake (first byte 0x7f)"), string.Join("\n", _moonLog.Lines));
        // Nothing came back in clear: at most a TLS alert record (content type 21).
        Assert.All(answers, a => Assert.True(a.Length == 0 || a[0] == 0x15, $"the listener answered a plaintext dial with {Convert.ToHexString(a.AsSpan(0, Math.Min(16, a.Length)))}"));
        Assert.True(_earthRelay.Links.Single().IsUp);
    }

    [Fact]
    public async Task CertificateOfAnotherCa_IsRefusedByTheListener_AndByTheDialler()
    {
        using var rogue = LinkCertificates.OfAnotherCa("a rogue CA", "earth", "moon");
        // A node calling itself earth with a certificate of another CA dials the real Moon.
        var impostor = Relay(NewReplica("earth"), FastRelay with { Peers = [("moon", "127.0.0.1", _moonRelay.ListeningOn!.Port)] }, () => rogue.Trust(), new RecordingLogger(),
            rogue["earth"]);
        await Eventually.Holds(() => _moonLog.Logged("was not issued by this constellation's certificate authority"), "the moon to refuse the impostor's certificate");
        Assert.DoesNotContain(impostor.Links, l => l.IsUp && l.LastUp is null);

        // The real Earth dials a Moon impostor with a certificate of another CA.
        var fakeMoon = Relay(NewReplica("moon"), FastRelay with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, () => rogue.Trust(), new RecordingLogger(), rogue["moon"]);
        var earthLog = new RecordingLogger();
        var dialler = Relay(NewReplica("earth"), FastRelay with { Peers = [("moon", "127.0.0.1", fakeMoon.ListeningOn!.Port)] }, () => _certs.Trust(), earthLog);
        await Eventually.Holds(() => earthLog.Logged("was not issued by this constellation's certificate authority"), "the earth to refuse the fake moon's certificate");
        Assert.All(dialler.Links, l => Assert.Null(l.LastUp));
        Assert.All(fakeMoon.Links, l => Assert.Null(l.LastUp));

        // The genuine pair went on.
        _earth.SetNote("srv-00001", "still syncing", "alice");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint(), "the genuine earth and moon to keep syncing");
    }

    [Fact]
    public async Task RevokedNode_ItsLiveSessionIsCutAtTheNextFrame_AndItsNextSessionsAreRefused()
    {
        _earth.SetNote("srv-00001", "before", "alice");
        await Eventually.Holds(() => _earth.Fingerprint() == _moon.Fingerprint(), "first sync");
        var refusedBefore = _moonRelay.Refused;

        // Constellation version 2 revokes earth's certificate and arrives at the Moon (here: handed to its link directly).
        Volatile.Write(ref _moonTrust, _certs.Trust(2, "earth"));
        _earth.SetNote("srv-00002", "after the revocation", "alice");
        await Eventually.Holds(() => _moonLog.Logged("node 'earth' is revoked in constellation version 2 (checked again during the session"), "the moon to cut earth's live session");
        await Eventually.Holds(() => _moonRelay.Refused > refusedBefore && _moonLog.Logged("Refused link connection from"), "the moon to refuse earth's next session");
        Assert.Contains(_moonLog.Lines, l => l.Contains("Refused link connection from", StringComparison.Ordinal) && l.Contains("node 'earth' is revoked in constellation version 2", StringComparison.Ordinal));
        Assert.False(_moon.Read((s, _) => s.Servers.ContainsKey("srv-00002")), "a change earth made after its revocation reached the moon");
        Assert.False(_moonRelay.Links.Single(l => l.PeerId == "earth").IsUp);
    }

    [Fact]
    public async Task Dial_AnotherNodeOfTheConstellationAnswers_IsRefused()
    {
        var tier1 = Relay(NewReplica("tier1"), FastRelay with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, () => _certs.Trust(), new RecordingLogger(), _certs["tier1"]);
        var earthLog = new RecordingLogger();
        var dialler = Relay(NewReplica("earth"), FastRelay with { Peers = [("moon", "127.0.0.1", tier1.ListeningOn!.Port)] }, () => _certs.Trust(), earthLog);
        await Eventually.Holds(() => earthLog.Logged("dialled 'moon' but 'tier1' answered"), "earth to refuse tier1 answering for moon");
        // Earth never takes it for the Moon. (Tier1 itself may see a session from the genuine earth that earth hangs up at once:
        // the dialler checks the listener's certificate when its own side of the handshake is done.)
        Assert.All(dialler.Links, l => Assert.Null(l.LastUp));
        Assert.NotNull(tier1);
    }

    [Fact]
    public async Task Listener_AgentCertificateOrAFilePeer_IsRefused()
    {
        var agent = Relay(NewReplica("earth"), FastRelay with { Peers = [("moon", "127.0.0.1", _moonRelay.ListeningOn!.Port)] }, () => _certs.Trust(), new RecordingLogger(),
            _certs.Issue("srv-00001", PrincipalKind.Agent));
        await Eventually.Holds(() => _moonLog.Logged("the certificate 'CN=srv-00001, OU=agent, O=Lunar.Dtn' was not issued") || _moonLog.Logged("unknown agent 'srv-00001'"),
            "the moon to refuse an agent's certificate on the link");

        var moonLog = new RecordingLogger();
        var moon = Relay(NewReplica("moon"), FastRelay with { Listen = new IPEndPoint(IPAddress.Loopback, 0), RefuseFrom = new HashSet<string> { "tier1" } }, () => _certs.Trust(), moonLog);
        var tier1 = Relay(NewReplica("tier1"), FastRelay with { Peers = [("moon", "127.0.0.1", moon.ListeningOn!.Port)] }, () => _certs.Trust(), new RecordingLogger(), _certs["tier1"]);
        await Eventually.Holds(() => moonLog.Logged("node 'tier1' is a file peer of this node"), "the moon to refuse its air-gapped file peer on the link");
        Assert.All(moon.Links, l => Assert.Null(l.LastUp));
        Assert.NotNull(agent);
        Assert.NotNull(tier1);
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

    /// <summary>The first frame a lunar-dtn/tcp/1 dialler sent: u32 length, type 1 (hello), MessagePack (protocol, id, nonce).</summary>
    internal static byte[] PlaintextHello(string id)
    {
        var payload = Lunar.Dtn.Crdt.Serialization.Serialize(("lunar-dtn/tcp/1", id, new byte[32]));
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length + 1);
        frame[4] = 1;
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Sends <paramref name="bytes"/> in clear and returns whatever the listener answers before it closes the connection.</summary>
    internal static async Task<byte[]> SendRawAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        try { await stream.WriteAsync(bytes); } catch (IOException) { }
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await stream.CopyToAsync(answer, timeout.Token); }
        catch (IOException) { }
        catch (OperationCanceledException) { throw new TimeoutException("timed out waiting for the listener to close a plaintext connection"); }
        return answer.ToArray();
    }

    private Replica NewReplica(string id) =>
        new(new ReplicaOptions { Id = id }, TestNodes.KeyFor(id), _certs.Trust(), new MemoryReplicaStore(), TimeProvider.System);

    private TcpRelay Relay(Replica replica, TcpRelaySettings settings, Func<TrustStore> trust, RecordingLogger log, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var relay = new TcpRelay(replica.Id, certificate ?? _certs[replica.Id], trust, settings, TimeProvider.System, log);
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
