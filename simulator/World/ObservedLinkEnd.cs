using Lunar.Dtn.Bundles;
using Lunar.Dtn.Links;

namespace Lunar.Dtn.Simulator.World;

/// <summary>
/// A node's end of the simulated link, seen from the simulator: it passes everything through unchanged and lets the
/// loss ledger watch each bundle the node's sync offers, each bundle it receives, and how many bytes the node pushes
/// at the instant contact returns (the catch-up a loss-free link would deliver in one light time plus its transmission).
/// </summary>
public sealed class ObservedLinkEnd : IBundleLink
{
    private readonly SimulatedLinkEnd _inner;

    public ObservedLinkEnd(SimulatedLinkEnd inner)
    {
        _inner = inner;
        _inner.Received += bundle =>
        {
            Received?.Invoke(bundle);
            AfterReceive?.Invoke();
        };
        _inner.StateChanged += up =>
        {
            var before = OfferedBytes;
            StateChanged?.Invoke(up);
            if (up) ContactPushBytes = OfferedBytes - before;
        };
    }

    public SimulatedLinkEnd Inner => _inner;

    public string PeerId => _inner.PeerId;

    public bool IsUp => _inner.IsUp;

    /// <summary>Bytes the node's sync handed to the link, sent or not.</summary>
    public long OfferedBytes { get; private set; }

    /// <summary>Bytes the node pushed at the instant contact last returned.</summary>
    public long ContactPushBytes { get; private set; }

    /// <summary>Raised before each bundle goes to the link, with its size.</summary>
    public event Action<int>? Offering;

    /// <summary>Raised after the node has processed a received bundle.</summary>
    public event Action? AfterReceive;

    public event Action<ReadOnlyMemory<byte>>? Received;

    public event Action<bool>? StateChanged;

    public void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority)
    {
        OfferedBytes += bundle.Length;
        Offering?.Invoke(bundle.Length);
        _inner.Send(bundle, priority);
    }
}
