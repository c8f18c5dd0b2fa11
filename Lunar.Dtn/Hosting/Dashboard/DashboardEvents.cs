using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Hosting.Dashboard;

/// <summary>
/// The dashboard's live feed, one for the whole node: while any client listens, one producer builds a snapshot at once,
/// then one whenever the replica changes (at most one per <see cref="Throttle"/>, so a burst of 300 agent reports is one
/// event), and a heartbeat snapshot every <see cref="Heartbeat"/> even when nothing changed (so the staleness of each peer
/// keeps counting up on screen). Each snapshot is serialised once, as the complete server-sent event, and the same bytes
/// are written to every client: 200 clients cost one snapshot per change, not 200. A client always gets the latest
/// snapshot (a slow one skips those it missed rather than queueing them). Clients are counted per principal and in total
/// (<see cref="Slots"/>).
/// </summary>
public sealed partial class DashboardEvents : IDisposable
{
    public static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);

    /// <summary>One snapshot as the bytes of its server-sent event ("event: snapshot", id, retry, data), shared by every client.</summary>
    public sealed record Frame(long Seq, long Revision, ReadOnlyMemory<byte> Event);

    private readonly Replica _replica;
    private readonly Func<DashboardSnapshot> _build;
    private readonly JsonSerializerOptions _json;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardEvents> _log;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _changed = new(0, 1);
    private TaskCompletionSource<Frame> _next = NewNext();
    private Frame? _latest;
    private int _listeners;
    private bool _running, _disposed;
    private long _seq, _built;

    public DashboardEvents(Replica replica, NodeIdentity me, NodeLinks links, QuorumPolicy policy, TimeProvider time, JsonSerializerOptions json,
        PrincipalSlots slots, ILogger<DashboardEvents> log)
    {
        _replica = replica;
        _build = () => DashboardSnapshot.Of(replica, me, links, policy);
        _json = json;
        _time = time;
        _log = log;
        Slots = slots;
        replica.Changed += OnChanged;
    }

    /// <summary>Feed clients, per principal (Dashboard:MaxFeedClientsPerPrincipal) and in total (Dashboard:MaxFeedClients).</summary>
    public PrincipalSlots Slots { get; }

    /// <summary>Snapshots built for the feed since the node started (one per change or heartbeat, whatever the number of clients).</summary>
    public long SnapshotsBuilt => Interlocked.Read(ref _built);

    /// <summary>Clients listening now.</summary>
    public int Listeners { get { lock (_gate) return _listeners; } }

    /// <summary>The frames for one client: the latest at once, then each newer one, until <paramref name="ct"/> ends.</summary>
    public async IAsyncEnumerable<Frame> FramesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _listeners++;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(ProduceAsync, CancellationToken.None);
            }
        }
        try
        {
            long sent = 0;
            while (!ct.IsCancellationRequested)
            {
                Frame? latest;
                Task<Frame> next;
                bool stopping;
                lock (_gate)
                {
                    stopping = _disposed;
                    latest = _latest;
                    next = _next.Task;
                }
                if (stopping) yield break;
                if (latest is not null && latest.Seq > sent)
                {
                    sent = latest.Seq;
                    yield return latest;
                    continue;
                }
                var ended = false;
                try { await next.WaitAsync(ct).ConfigureAwait(false); }
                catch (Exception ex) when (ex is OperationCanceledException || next.IsFaulted) { ended = true; } // gone, stopping, or the producer failed
                if (ended) yield break;
            }
        }
        finally
        {
            lock (_gate) _listeners--;
        }
    }

    private async Task ProduceAsync()
    {
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_listeners == 0 || _disposed)
                    {
                        // Nobody listens: stop, and forget the last snapshot (the next client must not start from a stale one).
                        _running = false;
                        _latest = null;
                        return;
                    }
                }
                Publish(_build());
                await Task.Delay(Throttle, _time).ConfigureAwait(false);
                await _changed.WaitAsync(Heartbeat - Throttle).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(ex);
            TaskCompletionSource<Frame> failed;
            lock (_gate)
            {
                _running = false;
                failed = _next;
                _next = NewNext();
                _latest = null;
            }
            failed.TrySetException(ex); // every client's stream ends; EventSource reconnects
        }
    }

    private void Publish(DashboardSnapshot snapshot)
    {
        var seq = Interlocked.Increment(ref _seq);
        Interlocked.Increment(ref _built);
        var revision = snapshot.Revision;
        var head = Encoding.UTF8.GetBytes($"event: snapshot\nid: {revision.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nretry: {(int)Heartbeat.TotalMilliseconds}\ndata: ");
        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, _json); // never indented: one data line
        var bytes = new byte[head.Length + json.Length + 2];
        head.CopyTo(bytes, 0);
        json.CopyTo(bytes, head.Length);
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        var frame = new Frame(seq, revision, bytes);
        TaskCompletionSource<Frame> done;
        lock (_gate)
        {
            _latest = frame;
            done = _next;
            _next = NewNext();
        }
        done.TrySetResult(frame);
    }

    private void OnChanged()
    {
        // Coalesce: one pending signal is enough, however many writes happen.
        try { if (_changed.CurrentCount == 0) _changed.Release(); }
        catch (SemaphoreFullException) { }
        catch (ObjectDisposedException) { }
    }

    private static TaskCompletionSource<Frame> NewNext() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends every client's stream (the node is stopping) and stops producing.</summary>
    public void Dispose()
    {
        TaskCompletionSource<Frame> pending;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            pending = _next;
        }
        _replica.Changed -= OnChanged;
        pending.TrySetCanceled();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard feed stopped: building a snapshot failed")]
    private partial void LogFailed(Exception ex);
}
