using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>
/// A hand-written in-memory link between two ends: sends wait in a queue until the test delivers them (in priority order,
/// like the TCP session), so a test decides exactly what crosses before a cut. A cut loses everything still queued.
/// </summary>
public sealed class QueuedLink
{
    public QueuedLink(string a, string b)
    {
        A = new End(this, b);
        B = new End(this, a);
        A.Other = B;
        B.Other = A;
    }

    public End A { get; }
    public End B { get; }
    public bool IsUp { get; private set; } = true;

    /// <summary>Every bundle either end ever sent (also those lost in a cut), in order, with its priority.</summary>
    public List<(End From, byte[] Bytes, BundlePriority Priority)> Sent { get; } = [];

    private readonly List<(End To, byte[] Bytes, BundlePriority Priority, long Order)> _queue = [];

    public int Queued => _queue.Count;
    private long _order;

    /// <summary>Delivers up to <paramref name="max"/> queued bundles (and what they cause), highest priority first; returns how many.</summary>
    public int Deliver(int max = int.MaxValue)
    {
        var n = 0;
        while (n < max && IsUp && _queue.Count > 0)
        {
            var next = _queue.OrderBy(q => q.Priority).ThenBy(q => q.Order).First();
            _queue.Remove(next);
            next.To.Raise(next.Bytes);
            n++;
        }
        return n;
    }

    public void Cut()
    {
        IsUp = false;
        _queue.Clear();
        A.RaiseState(false);
        B.RaiseState(false);
    }

    public void Restore()
    {
        IsUp = true;
        A.RaiseState(true);
        B.RaiseState(true);
    }

    public sealed class End(QueuedLink link, string peer) : IBundleLink
    {
        public End Other { get; set; } = null!;
        public string PeerId { get; } = peer;
        public bool IsUp => link.IsUp;
        public event Action<ReadOnlyMemory<byte>>? Received;
        public event Action<bool>? StateChanged;

        public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
        {
            var bytes = bundle.ToArray();
            link.Sent.Add((this, bytes, priority));
            if (link.IsUp) link._queue.Add((Other, bytes, priority, link._order++));
        }

        internal void Raise(byte[] bytes) => Received?.Invoke(bytes);
        internal void RaiseState(bool up) => StateChanged?.Invoke(up);
    }
}
