using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links;

/// <summary>One node's end of a <see cref="SimulatedLink"/>.</summary>
public sealed class SimulatedLinkEnd : IBundleLink
{
    private readonly SimulatedLink _link;
    private readonly PriorityQueue<ReadOnlyMemory<byte>, (BundlePriority, long)> _queue = new();
    private long _order;
    private bool _transmitting;
    private readonly HashSet<ITimer> _live = [];

    internal SimulatedLinkEnd(SimulatedLink link, string peerId)
    {
        _link = link;
        PeerId = peerId;
    }

    internal SimulatedLinkEnd? Remote { get; set; }

    public string PeerId { get; }

    public bool IsUp => _link.IsUp;

    /// <summary>Bytes put on the wire by this end (lost ones included: they used the link).</summary>
    public long BytesSent { get; private set; }

    public long BundlesSent { get; private set; }

    public long BundlesLost { get; private set; }

    /// <summary>Bytes sent per bundle priority.</summary>
    public long[] BytesByPriority { get; } = new long[3];

    public event Action<ReadOnlyMemory<byte>>? Received;

    /// <summary>Raised as each bundle goes on the wire (after the queue, before loss), with its priority: lets an observer count bytes by kind.</summary>
    public event Action<ReadOnlyMemory<byte>, BundlePriority>? Transmitting;

    public event Action<bool>? StateChanged;

    public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        if (!IsUp) { BundlesLost++; return; }
        _queue.Enqueue(bundle, (priority, _order++));
        if (!_transmitting) TransmitNext();
    }

    private void TransmitNext()
    {
        if (!_queue.TryDequeue(out var bundle, out var key) || !IsUp)
        {
            _queue.Clear();
            _transmitting = false;
            return;
        }
        _transmitting = true;
        var epoch = _link.Epoch;
        var tx = _link.TransmissionTime(bundle.Length);
        BytesSent += bundle.Length;
        BytesByPriority[(int)key.Item1] += bundle.Length;
        BundlesSent++;
        Transmitting?.Invoke(bundle, key.Item1);
        Later(tx, () =>
        {
            var (lost, dup, jitter) = _link.Draw();
            if (lost) BundlesLost++;
            else
            {
                Later(_link.Conditions.OneWayDelay + jitter, () => Deliver(bundle, epoch));
                if (dup) Later(_link.Conditions.OneWayDelay + jitter + TimeSpan.FromMilliseconds(1), () => Deliver(bundle, epoch));
            }
            TransmitNext();
        });
    }

    private void Deliver(ReadOnlyMemory<byte> bundle, int epoch)
    {
        // A blackout that began while the bundle was in flight swallows it.
        if (epoch != _link.Epoch || !_link.IsUp) { BundlesLost++; return; }
        Remote!.Received?.Invoke(bundle);
    }

    internal void RaiseState(bool up) => StateChanged?.Invoke(up);

    private void Later(TimeSpan after, Action action)
    {
        if (after <= TimeSpan.Zero) after = TimeSpan.FromTicks(1);
        // Timers are kept referenced until they fire: an unreferenced system timer may be collected.
        var holder = new ITimer?[1];
        holder[0] = _link.Time.CreateTimer(_ =>
        {
            lock (_live) { if (holder[0] is { } t) { _live.Remove(t); t.Dispose(); } }
            action();
        }, null, after, Timeout.InfiniteTimeSpan);
        lock (_live) _live.Add(holder[0]!);
    }
}
