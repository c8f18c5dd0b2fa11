using System.Diagnostics;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// Wraps one end of a link and times, with a stopwatch, what the node does when the link comes up (a
/// peer sync builds and sends its catch-up) and when a Deltas bundle arrives (the replica verifies, merges
/// and commits it). It passes every bundle through unchanged.
/// </summary>
public sealed class MeteredLink : IBundleLink
{
    private readonly IBundleLink _inner;

    public MeteredLink(IBundleLink inner)
    {
        _inner = inner;
        _inner.Received += OnReceived;
        _inner.StateChanged += OnStateChanged;
    }

    public string PeerId => _inner.PeerId;

    public bool IsUp => _inner.IsUp;

    /// <summary>Handling time of the last link-up (building and sending the catch-up).</summary>
    public TimeSpan LinkUpHandling { get; private set; }

    /// <summary>Handling time of every Deltas bundle received since the last <see cref="ResetMeters"/>.</summary>
    public TimeSpan DeltasHandling { get; private set; }

    /// <summary>The same two, in CPU time of the handling thread (null where the platform cannot tell).</summary>
    public TimeSpan? LinkUpCpu { get; private set; }

    public TimeSpan? DeltasCpu { get; private set; }

    public int DeltasReceived { get; private set; }

    /// <summary>Bundles and bytes this end sent since the last <see cref="ResetMeters"/>, by bundle kind.</summary>
    public Dictionary<BundleKind, (int Bundles, long Bytes)> SentByKind { get; } = [];

    public event Action<ReadOnlyMemory<byte>>? Received;

    public event Action<bool>? StateChanged;

    public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        if (BundleCodec.PeekHeader(bundle.Span) is { } header)
        {
            var (n, bytes) = SentByKind.GetValueOrDefault(header.Kind);
            SentByKind[header.Kind] = (n + 1, bytes + bundle.Length);
        }
        _inner.Send(bundle, priority);
    }

    public void ResetMeters()
    {
        LinkUpHandling = TimeSpan.Zero;
        DeltasHandling = TimeSpan.Zero;
        LinkUpCpu = null;
        DeltasCpu = null;
        DeltasReceived = 0;
        SentByKind.Clear();
    }

    private void OnReceived(ReadOnlyMemory<byte> bundle)
    {
        var isDeltas = BundleCodec.PeekHeader(bundle.Span)?.Kind == BundleKind.Deltas;
        var cpu = ThreadCpuClock.Now();
        var watch = Stopwatch.StartNew();
        Received?.Invoke(bundle);
        watch.Stop();
        var cpuSpent = ThreadCpuClock.Now() - cpu;
        if (!isDeltas) return;
        DeltasHandling += watch.Elapsed;
        DeltasCpu = (DeltasCpu ?? TimeSpan.Zero) + cpuSpent;
        DeltasReceived++;
    }

    private void OnStateChanged(bool up)
    {
        var cpu = ThreadCpuClock.Now();
        var watch = Stopwatch.StartNew();
        StateChanged?.Invoke(up);
        watch.Stop();
        if (!up) return;
        LinkUpHandling = watch.Elapsed;
        LinkUpCpu = ThreadCpuClock.Now() - cpu;
    }
}
