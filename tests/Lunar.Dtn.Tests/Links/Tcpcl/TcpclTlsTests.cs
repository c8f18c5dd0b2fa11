using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lunar.Dtn.Links.Tcpcl;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Links.Tcpcl;

/// <summary>
/// TCPCLv4 with TLS (RFC 9174 §4.4) between two of our nodes: both contact headers set CAN_TLS, TLS 1.3 follows with node
/// certificates, SESS_INIT and the bundles inside it. A relay that offers no TLS is still served in clear; a node that
/// requires TLS refuses it; a certificate of another CA is refused.
/// </summary>
public sealed class TcpclTlsTests : IDisposable
{
    private static readonly IPEndPoint AnyPort = new(IPAddress.Loopback, 0);
    private readonly LinkCertificates _certs = new("earth", "moon");

    public void Dispose() => _certs.Dispose();

    private TcpclSettings Settings(string eid, X509Certificate2? certificate, string? id = null, TrustStore? trust = null, bool required = false)
    {
        var store = trust ?? _certs.Trust();
        return new()
        {
            NodeId = eid,
            Tls = certificate is null ? null : new TcpclTls(SslStreamCertificateContext.Create(certificate, null, offline: true), id!, () => store) { Required = required },
        };
    }

    [Fact]
    public async Task BothOfferTls_TheSessionRunsInsideTls_AndARecordingOfItHoldsNoBundleByte()
    {
        var moonLog = new RecordingLogger();
        await using var listener = new TcpclListener(AnyPort, Settings("ipn:2.0", _certs["moon"], "moon"), TimeProvider.System, moonLog);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<TcpclSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.BundleReceived += (_, b) => received.TrySetResult(b);
        listener.SessionStarted += s => started.TrySetResult(s);
        listener.Start();
        await using var proxy = new RecordingProxy(listener.LocalEndpoint);
        await using var sender = new TcpclSender("127.0.0.1", proxy.Port, Settings("ipn:1.0", _certs["earth"], "earth"), TimeProvider.System, new RecordingLogger());
        sender.Start();
        var bundle = RandomNumberGenerator.GetBytes(50_000);
        sender.Enqueue(bundle);

        Assert.Equal(bundle, await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var session = await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(session.IsTls);
        Assert.Equal("earth", session.TlsPeer);
        Assert.Equal("ipn:1.0", session.Peer.NodeId);
        Assert.Contains(moonLog.Lines, l => l.Contains("inside TLS 1.3 with node 'earth'", StringComparison.Ordinal));

        // Only the contact headers cross in clear (RFC 9174 §4.4: TLS begins after them), offering TLS; then TLS records.
        var toMoon = proxy.ToTarget;
        Assert.Equal(TcpclCodec.ContactHeader(canTls: true), toMoon[..6]);
        Assert.Equal(0x16, toMoon[6]);
        Assert.Equal(TcpclCodec.ContactHeader(canTls: true), proxy.FromTarget[..6]);
        var recorded = (byte[])[.. toMoon, .. proxy.FromTarget];
        for (var at = 0; at + 16 <= bundle.Length; at += 997)
            Assert.True(recorded.AsSpan().IndexOf(bundle.AsSpan(at, 16)) < 0, $"bytes {at}..{at + 16} of the bundle crossed in clear");
        Assert.True(recorded.AsSpan().IndexOf("ipn:1.0"u8) < 0, "the SESS_INIT node id crossed in clear");
    }

    [Fact]
    public async Task RelayOfferingNoTls_IsServedInClear()
    {
        await using var relay = new TcpclListener(AnyPort, Settings("ipn:9.0", null), TimeProvider.System, new RecordingLogger());
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<TcpclSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        relay.BundleReceived += (_, b) => received.TrySetResult(b);
        relay.SessionStarted += s => started.TrySetResult(s);
        relay.Start();
        var earthLog = new RecordingLogger();
        await using var sender = new TcpclSender("127.0.0.1", relay.LocalEndpoint.Port, Settings("ipn:1.0", _certs["earth"], "earth"), TimeProvider.System, earthLog);
        sender.Start();
        sender.Enqueue([1, 2, 3]);
        Assert.Equal([1, 2, 3], await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.False((await started.Task.WaitAsync(TimeSpan.FromSeconds(20))).IsTls);
        await Eventually.Holds(() => earthLog.Logged("in clear (the peer offers no TLS)"), "earth to log its session with the relay as in clear");
    }

    [Fact]
    public async Task NodeRequiringTls_RefusesARelayOfferingNone()
    {
        var moonLog = new RecordingLogger();
        await using var listener = new TcpclListener(AnyPort, Settings("ipn:2.0", _certs["moon"], "moon", required: true), TimeProvider.System, moonLog);
        listener.Start();
        await using var sender = new TcpclSender("127.0.0.1", listener.LocalEndpoint.Port, Settings("ipn:9.0", null), TimeProvider.System, new RecordingLogger());
        sender.Start();
        await Eventually.Holds(() => moonLog.Logged("does not offer TLS (CAN_TLS) and this node requires it"), "the moon to refuse a plaintext TCPCL peer");
        Assert.Empty(listener.Sessions);
    }

    [Fact]
    public async Task CertificateOfAnotherCa_IsRefused()
    {
        using var rogue = LinkCertificates.OfAnotherCa("a rogue CA", "earth");
        var moonLog = new RecordingLogger();
        await using var listener = new TcpclListener(AnyPort, Settings("ipn:2.0", _certs["moon"], "moon"), TimeProvider.System, moonLog);
        listener.Start();
        await using var sender = new TcpclSender("127.0.0.1", listener.LocalEndpoint.Port, Settings("ipn:1.0", rogue["earth"], "earth", rogue.Trust()), TimeProvider.System, new RecordingLogger());
        sender.Start();
        sender.Enqueue([1, 2, 3]);
        await Eventually.Holds(() => moonLog.Logged("TLS refused: the certificate 'CN=earth, OU=node, O=Lunar.Dtn' was not issued by this constellation's certificate authority"),
            "the moon to refuse a TCPCL peer with another CA's certificate");
        Assert.Empty(listener.Sessions);
        Assert.Equal(0, sender.Delivered);
    }
}
