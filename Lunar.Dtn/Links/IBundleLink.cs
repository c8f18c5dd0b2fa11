using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links;

/// <summary>
/// A link to one peer that may be down at any moment. It moves whole bundles, sends in priority order
/// within its bandwidth budget, and says when it comes up or goes down. It promises nothing about
/// delivery: the sync protocol above retransmits until acknowledged.
/// </summary>
public interface IBundleLink
{
    string PeerId { get; }

    bool IsUp { get; }

    /// <summary>Queues a bundle; dropped silently when the link is down (the sender keeps custody).</summary>
    void Send(ReadOnlyMemory<byte> bundle, BundlePriority priority);

    /// <summary>Raised for every bundle received, in arrival order.</summary>
    event Action<ReadOnlyMemory<byte>>? Received;

    /// <summary>Raised with true when the link comes up, false when it goes down.</summary>
    event Action<bool>? StateChanged;
}
