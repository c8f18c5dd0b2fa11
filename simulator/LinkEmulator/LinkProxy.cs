using System.Net.Sockets;
using Lunar.Dtn.Links.Tcp;

namespace Lunar.Dtn.Simulator.LinkEmulator;

/// <summary>
/// A TCP proxy that makes a loopback connection behave like the Earth–Moon relay: one-way delay, a bandwidth
/// cap, loss, and blackouts (from a plan, or by hand with "down"/"up" on stdin) that cut every connection
/// and refuse new ones until contact returns. Nodes on either side see only a TCP peer that comes and goes.
/// </summary>
public sealed class LinkProxy : IAsyncDisposable
{
    private readonly LinkEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly TextWriter _out;
    private readonly BandwidthBudget? _upBudget, _downBudget;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient A, TcpClient B, CancellationTokenSource Cts)> _connections = [];
    private readonly List<(DelayPipe Forward, DelayPipe Backward)> _live = [];
    private long _closedForward, _closedBackward;
    private readonly DateTimeOffset _start;
    private TcpListener? _listener;
    private bool _manualDown;
    private bool _wasDown;

    public LinkProxy(LinkEmulatorOptions options, TimeProvider time, TextWriter output)
    {
        _options = options;
        _time = time;
        _out = output;
        _random = new Random(options.Seed);
        _start = time.GetUtcNow();
        if (options.BandwidthMbps is { } mbps)
        {
            _upBudget = new BandwidthBudget(mbps, time);
            _downBudget = new BandwidthBudget(mbps, time);
        }
    }

    /// <summary>Bytes carried from the dialling side to the target so far, including connections still open.</summary>
    public long BytesForward { get { lock (_live) return _closedForward + _live.Sum(p => p.Forward.Bytes); } }

    /// <summary>Bytes carried from the target back to the dialling side so far, including connections still open.</summary>
    public long BytesBackward { get { lock (_live) return _closedBackward + _live.Sum(p => p.Backward.Bytes); } }

    public bool IsDown
    {
        get
        {
            var t = _time.GetUtcNow() - _start;
            return _manualDown || _options.Blackouts.Any(b => t >= b.Start && t < b.End);
        }
    }

    public System.Net.IPEndPoint? ListeningOn => _listener?.LocalEndpoint as System.Net.IPEndPoint;

    public void Start()
    {
        _listener = new TcpListener(_options.Listen);
        _listener.Start();
        Say($"listening {ListeningOn} -> {_options.TargetHost}:{_options.TargetPort} delay={_options.Delay.TotalMilliseconds}ms " +
            $"bandwidth={(_options.BandwidthMbps is { } b ? b + "mbit" : "unlimited")} loss={_options.Loss} blackouts={_options.Blackouts.Count}");
        _ = Task.Run(AcceptLoopAsync);
        _ = Task.Run(PlanLoopAsync);
    }

    /// <summary>Cuts (true) or restores (false) the link by hand.</summary>
    public void SetDown(bool down)
    {
        _manualDown = down;
        Reconcile();
    }

    private void Reconcile()
    {
        var down = IsDown;
        if (down == _wasDown) return;
        _wasDown = down;
        Say(down ? "link down" : "link up");
        if (down) CutAll();
    }

    private async Task PlanLoopAsync()
    {
        // Blackouts from the plan start and end on their own; check at a resolution far below any blackout's length.
        while (!_stop.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromMilliseconds(50), _time, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            Reconcile();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener!.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            if (IsDown) { inbound.Dispose(); continue; }
            _ = Task.Run(() => BridgeAsync(inbound));
        }
    }

    private async Task BridgeAsync(TcpClient inbound)
    {
        var outbound = new TcpClient { NoDelay = true };
        inbound.NoDelay = true;
        try { await outbound.ConnectAsync(_options.TargetHost, _options.TargetPort, _stop.Token).ConfigureAwait(false); }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            inbound.Dispose();
            outbound.Dispose();
            return;
        }
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        lock (_connections) _connections.Add((inbound, outbound, cts));
        var forward = new DelayPipe(inbound.GetStream(), outbound.GetStream(), _options, _upBudget, _random, _time);
        var backward = new DelayPipe(outbound.GetStream(), inbound.GetStream(), _options, _downBudget, _random, _time);
        lock (_live) _live.Add((forward, backward));
        await Task.WhenAny(forward.RunAsync(cts.Token), backward.RunAsync(cts.Token)).ConfigureAwait(false);
        lock (_live)
        {
            _live.Remove((forward, backward));
            _closedForward += forward.Bytes;
            _closedBackward += backward.Bytes;
        }
        Close(inbound, outbound, cts);
    }

    private void CutAll()
    {
        (TcpClient, TcpClient, CancellationTokenSource)[] all;
        lock (_connections) all = _connections.ToArray();
        foreach (var (a, b, cts) in all) Close(a, b, cts);
    }

    private void Close(TcpClient a, TcpClient b, CancellationTokenSource cts)
    {
        lock (_connections) _connections.RemoveAll(c => c.A == a);
        try { cts.Cancel(); } catch (ObjectDisposedException) { }
        a.Dispose();
        b.Dispose();
    }

    private void Say(string line)
    {
        lock (_out) _out.WriteLine(line);
        _out.Flush();
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener?.Stop();
        CutAll();
        return ValueTask.CompletedTask;
    }
}
