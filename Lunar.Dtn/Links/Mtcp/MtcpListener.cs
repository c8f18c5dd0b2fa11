using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Links.Mtcp;

/// <summary>Accepts MTCP connections and hands up every bundle; a connection that sends a bad frame is cut and logged.</summary>
public sealed class MtcpListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public MtcpListener(IPEndPoint endpoint, ILogger log)
    {
        _listener = new TcpListener(endpoint);
        _log = log;
    }

    public int MaxBundleBytes { get; init; } = Bpv7.Bpv7Codec.MaxBundleBytes;

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    public event Action<byte[]>? BundleReceived;

    public void Start()
    {
        _listener.Start();
        _log.LogInformation("MTCP listening on {Endpoint}", _listener.LocalEndpoint);
        _loop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => ReadAsync(client, ct), ct);
        }
    }

    private async Task ReadAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
            try
            {
                var stream = client.GetStream();
                while (await MtcpFraming.ReadAsync(stream, MaxBundleBytes, ct).ConfigureAwait(false) is { } bundle)
                    BundleReceived?.Invoke(bundle);
            }
            catch (InvalidDataException ex) { _log.LogWarning("Cut MTCP connection from {Remote}: {Reason}", remote, ex.Message); }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or EndOfStreamException or SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
