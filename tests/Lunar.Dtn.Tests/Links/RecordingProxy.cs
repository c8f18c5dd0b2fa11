using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Lunar.Dtn.Tests.Links;

/// <summary>
/// A TCP forwarder for link tests: accepts on 127.0.0.1, connects each connection to <c>target</c>, and forwards both ways,
/// recording every byte in each direction and, with a one-way delay, holding each chunk that long before passing it on (as a
/// light time would; order is kept) and connecting to the target one delay after the dialler connected (when a real
/// listener would see the dialler's ACK). Knows nothing of TLS or frames: it sees what an eavesdropper on the link would.
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly TimeSpan _oneWay;
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _toTarget = new(), _fromTarget = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private readonly TaskCompletionSource<DateTime> _firstAccept = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordingProxy(IPEndPoint target, TimeSpan? oneWay = null)
    {
        _target = target;
        _oneWay = oneWay ?? TimeSpan.Zero;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>When the first connection was accepted (UTC): the dialler's connect, for counting light times.</summary>
    public Task<DateTime> FirstAccept => _firstAccept.Task;

    /// <summary>Every byte sent towards the target so far, all connections in order.</summary>
    public byte[] ToTarget { get { lock (_toTarget) return _toTarget.ToArray(); } }

    /// <summary>Every byte the target sent back so far.</summary>
    public byte[] FromTarget { get { lock (_fromTarget) return _fromTarget.ToArray(); } }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _firstAccept.TrySetResult(DateTime.UtcNow);
            client.NoDelay = true;
            lock (_pumps) _pumps.Add(ConnectAsync(client));
        }
    }

    /// <summary>
    /// One connection. What the dialler sends is taken (and timed) at once; the target is connected only one delay later,
    /// as a real listener accepts when the dialler's ACK arrives, one light time after the dialler's connect.
    /// </summary>
    private async Task ConnectAsync(TcpClient client)
    {
        var toTarget = Channel.CreateUnbounded<(DateTime Due, byte[] Bytes)>();
        var reading = ReadAsync(client, toTarget.Writer, _toTarget);
        var upstream = new TcpClient { NoDelay = true };
        try
        {
            if (_oneWay > TimeSpan.Zero) await Task.Delay(_oneWay, _stop.Token); // the ACK's trip
            await upstream.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            client.Dispose();
            upstream.Dispose();
            await reading;
            return;
        }
        var back = Channel.CreateUnbounded<(DateTime Due, byte[] Bytes)>();
        await Task.WhenAll(
            reading.ContinueWith(_ => { }, TaskScheduler.Default), WriteAsync(toTarget.Reader, upstream),
            ReadAsync(upstream, back.Writer, _fromTarget), WriteAsync(back.Reader, client));
        client.Dispose();
        upstream.Dispose();
    }

    private async Task ReadAsync(TcpClient from, ChannelWriter<(DateTime, byte[])> chunks, MemoryStream record)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.GetStream().ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                var bytes = buffer.AsSpan(0, n).ToArray();
                lock (record) record.Write(bytes);
                chunks.TryWrite((DateTime.UtcNow + _oneWay, bytes));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException) { }
        chunks.TryComplete();
    }

    private async Task WriteAsync(ChannelReader<(DateTime Due, byte[] Bytes)> chunks, TcpClient to)
    {
        try
        {
            await foreach (var (due, bytes) in chunks.ReadAllAsync(_stop.Token))
            {
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _stop.Token); // the light time being emulated
                await to.GetStream().WriteAsync(bytes, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException) { }
        finally
        {
            // The other side is done sending: pass the end on (half-close), so the far end sees it too.
            try { to.Client.Shutdown(SocketShutdown.Send); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps) pumps = _pumps.ToArray();
        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
