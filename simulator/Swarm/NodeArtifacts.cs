using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Links;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Transfer;

namespace Lunar.Dtn.Simulator.Swarm;

/// <summary>
/// A simulated node's artifact content: the real content store and receiver on a folder that survives the node's crashes
/// (its disk), and the real chunk transfer over the node's end of the simulated link, processing on the link's callbacks
/// (one thread, virtual time). A restart rebuilds them from the folder, so a transfer cut by a crash resumes from the bitmap.
/// </summary>
public sealed class NodeArtifacts
{
    private static readonly TransferOptions Options = new() { ProcessOnReceiveLoop = true };
    private readonly string _directory;
    private ArtifactReceiver? _receiver;
    private ArtifactPeerTransfer? _transfer;

    public NodeArtifacts(string directory) => _directory = directory;

    public ArtifactContentStore? Store { get; private set; }

    /// <summary>Raised (on the clock's thread) when an artifact becomes held whole here, verified against its signed hash.</summary>
    public event Action<string>? Stored;

    public void Start(Replica replica, IBundleLink link)
    {
        Store = new ArtifactContentStore(_directory);
        Store.Stored += sha => Stored?.Invoke(sha);
        _receiver = new ArtifactReceiver(replica, Store);
        _transfer = new ArtifactPeerTransfer(replica, link, Store, _receiver, Options);
    }

    /// <summary>kill -9: the transfer and receiver are gone; the folder keeps what was made durable.</summary>
    public void Stop()
    {
        _transfer?.Dispose();
        _receiver?.Dispose();
        _transfer = null;
        _receiver = null;
    }
}
