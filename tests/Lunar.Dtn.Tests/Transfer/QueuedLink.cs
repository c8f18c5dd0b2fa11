using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>
/// A hand-written in-memory link between two ends: sends wait in a queue until the test delivers them (in priority order,
/// like the TCP session), so a test decides exactly what crosses before a cut. A cut loses everything still queued.
/// <para>
/// The transfers on its ends do part of their work on worker threads (writing chunks, sending a hello). After every event it
/// raises on an end (a delivery, the link going down or up) the link calls <see cref="Settle"/> with that end before it raises
/// the next one, so the owner can wait there for that end's worker: then only one side ever runs at a time, and a run is the
/// same every time. Sends are locked all the same, so a worker that does run behind the owner's back cannot lose a bundle.
/// </para>
/// </summary>
public sealed class QueuedLink
{
    private readonly Lock _gate = new();

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

    /// <summary>Called with an end after each event raised on it, before the next: waits until that end has dealt with it.</summary>
    public Action<End>? Settle { get; set; }

    /// <summary>Every bundle either end ever sent (also those lost in a cut), in order, with its priority.</summary>
    public List<(End From, byte[] Bytes, BundlePriority Priority)> Sent { get; } = [];

    private readonly List<(End To, byte[] Bytes, BundlePriority Priority, long Order)> _queue = [];

    public int Queued { get { lock (_gate) return _queue.Count; } }
    private long _order;

    /// <summary>Delivers up to <paramref name="max"/> queued bundles (and what they cause), highest priority first; returns how many.</summary>
    public int Deliver(int max = int.MaxValue)
    {
        var n = 0;
        while (n < max)
        {
            (End To, byte[] Bytes, BundlePriority Priority, long Order) next;
            lock (_gate)
            {
                if (!IsUp || _queue.Count == 0) break;
                next = _queue.OrderBy(q => q.Priority).ThenBy(q => q.Order).First();
                _queue.Remove(next);
            }
            next.To.Raise(next.Bytes);
            n++;
        }
        return n;
    }

    public void Cut()
    {
        lock (_gate)
        {
            IsUp = false;
            _queue.Clear();
        }
        A.RaiseState(false);
        B.RaiseState(false);
    }

    public void Restore()
    {
        lock (_gate) IsUp = true;
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
            lock (link._gate)
            {
                link.Sent.Add((this, bytes, priority));
                if (link.IsUp) link._queue.Add((Other, bytes, priority, link._order++));
            }
        }

        /// <summary>Hands <paramref name="bytes"/> to this end's receiver (as a delivery would) and waits until it is settled.</summary>
        internal void Raise(byte[] bytes)
        {
            Received?.Invoke(bytes);
            link.Settle?.Invoke(this);
        }

        internal void RaiseState(bool up)
        {
            StateChanged?.Invoke(up);
            link.Settle?.Invoke(this);
        }
    }
}
