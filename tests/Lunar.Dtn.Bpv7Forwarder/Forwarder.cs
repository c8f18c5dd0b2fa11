using System.Collections.Concurrent;
using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Links.Tcpcl;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Bpv7Forwarder;

/// <summary>
/// Accepts TCPCLv4 sessions, checks every bundle strictly, and forwards it by destination to the next hop of its
/// route (hop count + 1, previous node = this node), storing it in the next hop's queue until that hop acknowledges.
/// <c>down</c> is a blackout: every session is cut, new ones are refused, what was queued and what arrives is
/// dropped; <c>up</c> ends it. <c>--corrupt-payload</c> flips one payload byte of every bundle it forwards (with valid
/// CRCs), as a hostile relay would: the receiving node must refuse it by its signature.
/// </summary>
public sealed class Forwarder : IAsyncDisposable
{
    private readonly ForwarderOptions _options;
    private readonly ConcurrentDictionary<string, (string Host, int Port)> _routes;
    private readonly ConcurrentDictionary<string, TcpclSender> _senders = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private readonly TextWriter _out;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TcpclListener? _listener;
    private volatile bool _down;

    public Forwarder(ForwarderOptions options, ILogger log, TextWriter output)
    {
        _options = options;
        _routes = new(options.Routes, StringComparer.Ordinal);
        _log = log;
        _out = output;
    }

    private TcpclSettings Settings => new() { NodeId = _options.Eid.NodeId.ToString(), KeepaliveSeconds = 10 };

    public long Forwarded => Interlocked.Read(ref _forwarded);
    private long _forwarded;

    public void Start()
    {
        StartListener(_options.Listen);
        Say($"listening {_listener!.LocalEndpoint}");
    }

    private void StartListener(System.Net.IPEndPoint endpoint)
    {
        _listener = new TcpclListener(endpoint, Settings, TimeProvider.System, _log);
        _listener.BundleReceived += (_, b) => OnBundle(b);
        _listener.Start();
    }

    private void OnBundle(byte[] raw)
    {
        if (_down) { Say("dropped (down)"); return; }
        var decoded = Bpv7Codec.Decode(raw);
        var result = decoded.IsValid ? Bpv7Processing.OnReceive(decoded.Bundle, TimeProvider.System.GetUtcNow()) : decoded;
        if (!result.IsValid) { Say($"refused: {result.Rejection}"); return; }
        var bundle = Bpv7Processing.ForForwarding(result.Bundle, _options.Eid, TimeSpan.Zero);
        var key = ForwarderOptions.KeyOf(bundle.Primary.Destination);
        if (!_routes.TryGetValue(key, out var hop)) { Say($"no route to {bundle.Primary.Destination} ({key}); dropped"); return; }
        if (_options.CorruptPayload && bundle.Payload.Length > 0)
        {
            var payload = bundle.Payload.ToArray();
            // The byte just before the last 64 (for our sync bundles: signed body, not the signature or the framing the
            // receiver reads first), so the refusal it provokes is always the signature's.
            payload[payload.Length > 65 ? payload.Length - 65 : payload.Length / 2] ^= 0x01;
            bundle = bundle.WithBlocks(bundle.Blocks.Select(b => b.IsPayload ? b with { Data = payload } : b));
        }
        var sender = _senders.GetOrAdd(key, _ =>
        {
            var s = new TcpclSender(hop.Host, hop.Port, Settings, TimeProvider.System, _log) { MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };
            s.Start();
            return s;
        });
        sender.Enqueue(Bpv7Codec.Encode(bundle));
        Interlocked.Increment(ref _forwarded);
        Say($"forwarded {bundle.Primary.Source} -> {bundle.Primary.Destination} ({raw.Length} bytes){(_options.CorruptPayload ? " with one payload byte flipped" : "")}");
    }

    /// <summary>One stdin command: down, up, route NODE=HOST:PORT, stats.</summary>
    public async Task CommandAsync(string line)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var parts = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            switch (parts.FirstOrDefault())
            {
                case "down":
                    _down = true;
                    var endpoint = _listener!.LocalEndpoint;
                    await _listener.DisposeAsync().ConfigureAwait(false);
                    foreach (var s in _senders.Values) await s.DisposeAsync().ConfigureAwait(false);
                    _senders.Clear();
                    _listenOn = endpoint;
                    Say("link down");
                    break;
                case "up":
                    if (_down) StartListener(_listenOn!);
                    _down = false;
                    Say("link up");
                    break;
                case "route" when parts.Length == 2:
                    var (key, target) = ForwarderOptions.ParseRoute(parts[1]);
                    _routes[key] = target;
                    Say($"route {key} -> {target.Host}:{target.Port}");
                    break;
                case "stats":
                    Say($"forwarded {Forwarded}, queued {_senders.Values.Sum(s => s.Queued)}, delivered {_senders.Values.Sum(s => s.Delivered)}");
                    break;
                default:
                    Say($"unknown command '{line}' (down, up, route NODE=HOST:PORT, stats)");
                    break;
            }
        }
        catch (FormatException ex) { Say(ex.Message); }
        finally { _gate.Release(); }
    }

    private System.Net.IPEndPoint? _listenOn;

    private void Say(string line)
    {
        lock (_out) _out.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
        foreach (var s in _senders.Values) await s.DisposeAsync().ConfigureAwait(false);
    }
}
