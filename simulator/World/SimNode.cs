using Lunar.Dtn.Links;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Security;
using Lunar.Dtn.Simulator.Swarm;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Simulator.World;

/// <summary>One simulated node: its durable store survives a crash; the replica and its sync are rebuilt from it on restart.</summary>
public sealed class SimNode
{
    private readonly TrustStore _trust;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _peers;
    private readonly IBundleLink _link;

    /// <param name="artifacts">The node's artifact content and its chunk transfer over <paramref name="artifactLink"/>, if it has them.</param>
    public SimNode(string id, IReadOnlyList<string> peers, TrustStore trust, TimeProvider time, IBundleLink link,
        NodeArtifacts? artifacts = null, IBundleLink? artifactLink = null)
    {
        Id = id;
        _peers = peers;
        _trust = trust;
        _time = time;
        _link = link;
        Artifacts = artifacts;
        _artifactLink = artifactLink ?? link;
        Start();
    }

    private readonly IBundleLink _artifactLink;

    public NodeArtifacts? Artifacts { get; }

    private readonly List<IBundleLink> _lanLinks = [];
    private readonly List<PeerSync> _lanSyncs = [];

    /// <summary>Adds a link to a Tier 1 node on the lunar LAN: a sync of its own, rebuilt with the others on restart.</summary>
    public void AddLanLink(IBundleLink link)
    {
        _lanLinks.Add(link);
        if (Up) StartLanSync(link);
    }

    private void StartLanSync(IBundleLink link)
    {
        var sync = new PeerSync(Replica, link);
        sync.Outcome += o => Received?.Invoke(o);
        _lanSyncs.Add(sync);
    }

    public string Id { get; }
    public MemoryReplicaStore Store { get; } = new();
    public Replica Replica { get; private set; } = null!;
    public PeerSync Sync { get; private set; } = null!;
    public bool Up { get; private set; }

    /// <summary>Retransmissions by this node's sync over the whole run (each restart starts a new sync with its own counter).</summary>
    public long Retransmissions => _retransmittedBefore + (Up ? Sync.Counters.Retransmissions : 0);

    private long _retransmittedBefore;

    /// <summary>Every outcome of a received bundle, and the bundle, for the signed-inputs checker.</summary>
    public event Action<ReceiveOutcome>? Received;

    public void Start()
    {
        Replica = new Replica(new ReplicaOptions { Id = Id, Peers = _peers }, SimulationKeys.For(Id), _trust, Store, _time);
        Sync = new PeerSync(Replica, _link);
        Sync.Outcome += o => Received?.Invoke(o);
        Artifacts?.Start(Replica, _artifactLink);
        Up = true;
        foreach (var link in _lanLinks) StartLanSync(link);
    }

    /// <summary>kill -9: the process is gone; only what the store committed remains.</summary>
    public void Crash()
    {
        Sync.Dispose();
        foreach (var sync in _lanSyncs) sync.Dispose();
        _lanSyncs.Clear();
        Artifacts?.Stop();
        _retransmittedBefore += Sync.Counters.Retransmissions;
        Up = false;
    }
}
