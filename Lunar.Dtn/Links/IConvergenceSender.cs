namespace Lunar.Dtn.Links;

/// <summary>
/// A convergence-layer connection to one next hop that delivers encoded BPv7 bundles (TCPCLv4 or MTCP): it dials and
/// redials by itself, queues what it is given, and says when it is connected.
/// </summary>
public interface IConvergenceSender : IAsyncDisposable
{
    bool IsUp { get; }

    void Start();

    void Enqueue(byte[] bundle);

    event Action<bool>? StateChanged;
}
