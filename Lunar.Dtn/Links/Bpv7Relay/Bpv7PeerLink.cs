using Lunar.Dtn.Bpv7;
using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links.Bpv7Relay;

/// <summary>
/// Our link to one peer through a DTN relay: each signed sync bundle becomes the payload of a BPv7 bundle from this
/// node's endpoint id to the peer's, with a long lifetime (a relay may hold it for days) and a hop limit, handed to
/// the convergence layer toward the relay. The link is up while the session to the relay is. Received payloads are
/// handed up unchanged: signatures, acknowledgements and custody stay with the sync layer above.
/// </summary>
public sealed class Bpv7PeerLink : IBundleLink
{
    private readonly IConvergenceSender _sender;
    private readonly EndpointId _self;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly Lock _gate = new();
    private readonly Lock _deliverGate = new();
    private ulong _lastTime;
    private ulong _sequence;

    public Bpv7PeerLink(Bpv7PeerAddress address, EndpointId self, IConvergenceSender sender, TimeSpan lifetime, TimeProvider time)
    {
        Address = address;
        _self = self;
        _sender = sender;
        _lifetime = lifetime;
        _time = time;
        sender.StateChanged += up => StateChanged?.Invoke(up);
    }

    /// <summary>Hop limit of the bundles we send: ample for any ground-station and relay-satellite path.</summary>
    public const byte HopLimit = 32;

    public Bpv7PeerAddress Address { get; }

    public string PeerId => Address.PeerId;

    public bool IsUp => _sender.IsUp;

    public long BundlesSent => Interlocked.Read(ref _sent);
    private long _sent;

    public event Action<ReadOnlyMemory<byte>>? Received;

    public event Action<bool>? StateChanged;

    public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        if (!IsUp) return; // the sync layer keeps custody and pushes again when the link comes up
        var bpv7 = Bpv7Bundle.Create(_self, Address.PeerEid, NextCreation(), _lifetime, bundle.Span, HopLimit);
        _sender.Enqueue(Bpv7Codec.Encode(bpv7));
        Interlocked.Increment(ref _sent);
    }

    /// <summary>Creation timestamps unique per source: the DTN time, and a sequence within one millisecond.</summary>
    private CreationTimestamp NextCreation()
    {
        var now = DtnTime.FromDateTime(_time.GetUtcNow());
        lock (_gate)
        {
            if (now <= _lastTime) _sequence++;
            else { _lastTime = now; _sequence = 0; }
            return new CreationTimestamp(_lastTime, _sequence);
        }
    }

    /// <summary>Hands a payload from the peer up to the sync layer, one at a time.</summary>
    internal void Deliver(byte[] payload)
    {
        lock (_deliverGate) Received?.Invoke(payload);
    }
}
