using System.Net;
using System.Net.Sockets;
using Lunar.Dtn.Links.Tcpcl;

namespace Lunar.Dtn.Tests.Links.Tcpcl;

/// <summary>A TCPCLv4 peer driven byte by byte by a test: it can misbehave where a real session would not.</summary>
public sealed class RawTcpclPeer : IDisposable
{
    private readonly TcpClient _client;

    private RawTcpclPeer(TcpClient client) => _client = client;

    public NetworkStream Stream => _client.GetStream();

    public static async Task<RawTcpclPeer> ConnectAsync(IPEndPoint endpoint)
    {
        var c = new TcpClient();
        await c.ConnectAsync(endpoint);
        return new RawTcpclPeer(c);
    }

    public static async Task<RawTcpclPeer> AcceptAsync(TcpListener listener, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { return new RawTcpclPeer(await listener.AcceptTcpClientAsync(cts.Token)); }
        catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {what} to connect"); }
    }

    /// <summary>Contact headers and SESS_INITs both ways; returns the other side's SESS_INIT.</summary>
    public async Task<SessInit> HandshakeAsync(ushort keepalive = 0, ulong segmentMru = 100_000, ulong transferMru = 10_000_000, string nodeId = "ipn:99.0")
    {
        await Stream.WriteAsync(TcpclCodec.ContactHeader());
        await TcpclCodec.ReadContactHeaderAsync(Stream, Timeout("contact header"));
        await SendAsync(new SessInit(keepalive, segmentMru, transferMru, nodeId, []));
        return Assert.IsType<SessInit>(await ReadAsync("SESS_INIT"));
    }

    public async Task SendAsync(TcpclMessage m) => await Stream.WriteAsync(TcpclCodec.Encode(m));

    public async Task SendRawAsync(params byte[] bytes) => await Stream.WriteAsync(bytes);

    public async Task<TcpclMessage?> ReadAsync(string what, ulong segmentMru = 100_000_000)
    {
        try { return await TcpclCodec.ReadAsync(Stream, segmentMru, Timeout(what)); }
        catch (OperationCanceledException) { throw new TimeoutException($"timed out waiting for {what}"); }
    }

    private static CancellationToken Timeout(string what) => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    public void Dispose() => _client.Dispose();
}
