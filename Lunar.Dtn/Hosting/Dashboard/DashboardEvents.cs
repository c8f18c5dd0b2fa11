using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Lunar.Dtn.Orchestration;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Hosting.Dashboard;

/// <summary>
/// The dashboard's live feed: a snapshot at once, then one whenever the replica changes (at most one per
/// <see cref="Throttle"/>, so a burst of 300 agent reports is one event), and a heartbeat snapshot every
/// <see cref="Heartbeat"/> even when nothing changed, so the staleness of each peer keeps counting up on screen.
/// </summary>
public sealed class DashboardEvents(Replica replica, NodeIdentity me, NodeLinks links, QuorumPolicy policy, TimeProvider time)
{
    public static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);

    public async IAsyncEnumerable<SseItem<DashboardSnapshot>> StreamAsync([EnumeratorCancellation] CancellationToken ct)
    {
        using var changed = new SemaphoreSlim(0, 1);
        void OnChanged()
        {
            // Coalesce: one pending signal is enough, however many writes happen.
            try { if (changed.CurrentCount == 0) changed.Release(); }
            catch (SemaphoreFullException) { }
            catch (ObjectDisposedException) { }
        }
        replica.Changed += OnChanged;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var snapshot = DashboardSnapshot.Of(replica, me, links, policy);
                yield return new SseItem<DashboardSnapshot>(snapshot, "snapshot") { EventId = snapshot.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), ReconnectionInterval = Heartbeat };
                if (!await PauseAsync(changed, ct).ConfigureAwait(false)) yield break;
            }
        }
        finally
        {
            replica.Changed -= OnChanged;
        }
    }

    /// <summary>Waits the throttle, then for a change or the heartbeat; false once the client has gone.</summary>
    private async Task<bool> PauseAsync(SemaphoreSlim changed, CancellationToken ct)
    {
        try
        {
            await Task.Delay(Throttle, time, ct).ConfigureAwait(false);
            await changed.WaitAsync(Heartbeat - Throttle, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
