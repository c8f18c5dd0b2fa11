using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links.Tcp;

/// <summary>
/// The stable link to one peer over TCP. Sessions come and go (drops, redials, the peer dialling us);
/// this object stays, so the sync layer above sees one link that goes up and down.
/// </summary>
public sealed class TcpPeerLink : IBundleLink
{
    private readonly Lock _gate = new();
    private TcpSession? _session;

    public TcpPeerLink(string peerId) => PeerId = peerId;

    public string PeerId { get; }

    public bool IsUp { get { lock (_gate) return _session is not null; } }

    public DateTimeOffset? LastUp { get; private set; }

    public long BytesSent { get; private set; }

    public long BytesReceived { get; private set; }

    public int QueuedBundles { get { lock (_gate) return _session?.QueuedBundles ?? 0; } }

    public event Action<ReadOnlyMemory<byte>>? Received;

    public event Action<bool>? StateChanged;

    public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        TcpSession? s;
        lock (_gate) s = _session;
        s?.Enqueue(bundle, priority);
    }

    /// <summary>Makes <paramref name="session"/> the link's session, replacing (and closing) any older one.</summary>
    public void Attach(TcpSession session, DateTimeOffset now)
    {
        TcpSession? old;
        lock (_gate)
        {
            old = _session;
            _session = session;
            LastUp = now;
        }
        session.BundleReceived += OnBundle;
        old?.Close("replaced by a newer session");
        // Up before the loops start: what the sync layer sends on "up" waits in the session's queue.
        StateChanged?.Invoke(true);
        session.Start();
        _ = session.Completion.ContinueWith(_ => Detach(session), TaskScheduler.Default);
    }

    private void OnBundle(ReadOnlyMemory<byte> bundle) => Received?.Invoke(bundle);

    private void Detach(TcpSession session)
    {
        lock (_gate)
        {
            BytesSent += session.BytesSent;
            BytesReceived += session.BytesReceived;
            if (_session != session) return;
            _session = null;
        }
        StateChanged?.Invoke(false);
    }

    public void Close()
    {
        TcpSession? s;
        lock (_gate) s = _session;
        s?.Close("link closed");
    }
}
