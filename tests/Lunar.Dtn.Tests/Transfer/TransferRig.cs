using System.Security.Cryptography;
using Lunar.Dtn.Artifacts;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;
using Lunar.Dtn.Replication;
using Lunar.Dtn.Tests.Support;
using Lunar.Dtn.Transfer;

namespace Lunar.Dtn.Tests.Transfer;

/// <summary>
/// Earth and Moon replicas (real keys and signatures, a fake clock) with their content stores on disk, and an artifact
/// transfer on each side of a <see cref="QueuedLink"/>. A "restart" throws away every object of one side and builds it
/// again from its folder, as a process restart would.
/// <para>
/// Each transfer writes received chunks and sends its hello on a worker thread. The rig never lets one run behind its back:
/// a side is settled (its worker has done everything handed to it) when it is built and after every event the link raises on
/// it, before the next. So only one side runs at a time and the same steps always put the same bundles on the link.
/// </para>
/// </summary>
public sealed class TransferRig : IDisposable
{
    public static readonly TransferOptions Options = new() { WindowChunks = 8, AckEveryChunks = 4, AckDelay = TimeSpan.FromMilliseconds(200) };
    private readonly TempDir _dir = new("lunar-transfer");

    public TransferRig()
    {
        Nodes = new TestNodes("earth", "moon");
        Link = new QueuedLink("earth", "moon");
        (EarthStore, EarthReceiver, Earth) = Build("earth", Link.A);
        (MoonStore, MoonReceiver, Moon) = Build("moon", Link.B);
        Link.Settle = end => Settle(end == Link.A ? Earth : Moon);
    }

    public TestNodes Nodes { get; }
    public QueuedLink Link { get; }
    public ArtifactContentStore EarthStore { get; private set; }
    public ArtifactReceiver EarthReceiver { get; private set; }
    public ArtifactPeerTransfer Earth { get; private set; }
    public ArtifactContentStore MoonStore { get; private set; }
    public ArtifactReceiver MoonReceiver { get; private set; }
    public ArtifactPeerTransfer Moon { get; private set; }
    public List<ChunkOutcome> MoonOutcomes { get; } = [];

    private (ArtifactContentStore, ArtifactReceiver, ArtifactPeerTransfer) Build(string id, QueuedLink.End end)
    {
        var store = new ArtifactContentStore(_dir.Sub(id));
        var receiver = new ArtifactReceiver(Nodes[id], store);
        var transfer = new ArtifactPeerTransfer(Nodes[id], end, store, receiver, Options);
        if (id == "moon") transfer.ChunkReceived += MoonOutcomes.Add;
        Settle(transfer); // built with the link up, it sends its hello from the worker
        return (store, receiver, transfer);
    }

    public void RestartEarth()
    {
        Drain();
        Earth.Dispose();
        EarthReceiver.Dispose();
        (EarthStore, EarthReceiver, Earth) = Build("earth", Link.A);
    }

    public void RestartMoon()
    {
        Drain();
        Moon.Dispose();
        MoonReceiver.Dispose();
        (MoonStore, MoonReceiver, Moon) = Build("moon", Link.B);
    }

    /// <summary>Random content of <paramref name="size"/> bytes, registered on both replicas (as replication would) with its record.</summary>
    public static (ArtifactRecord Record, byte[] Bytes) Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return (new ArtifactRecord(sha, $"pkg-{seed}", "1.0", sha, size, "earth", 1_000 + seed), bytes);
    }

    public void Register(ArtifactRecord record)
    {
        Nodes["earth"].RegisterArtifact(record, "test");
        Nodes["moon"].RegisterArtifact(record, "test");
    }

    /// <summary>Delivers up to <paramref name="max"/> bundles, letting the clock run the acknowledgement timers whenever the link is idle.</summary>
    public int Run(int max = 100_000)
    {
        var n = 0;
        while (n < max)
        {
            Drain();
            if (Link.Deliver(1) == 1) { n++; continue; }
            Nodes.Time.Advance(Options.AckDelay);
            Drain();
            if (Link.Queued == 0) break;
        }
        Drain();
        return n;
    }

    /// <summary>Waits until both sides have written and acknowledged every chunk delivered so far (their writes run on a worker).</summary>
    public void Drain()
    {
        Settle(Earth);
        Settle(Moon);
    }

    /// <summary>Waits until <paramref name="transfer"/>'s worker has done everything handed to it so far.</summary>
    private static void Settle(ArtifactPeerTransfer transfer)
    {
        if (!transfer.DrainAsync().Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException($"timed out after 30 s waiting for the transfer to {transfer.PeerId} to write the chunks and send the hello handed to its worker");
    }

    /// <summary>A chunk bundle signed by earth for the moon, with any payload.</summary>
    public byte[] EarthChunk(ArtifactChunkPayload payload) =>
        ArtifactBundles.Seal(Nodes["earth"], "moon", BundleKind.ArtifactChunk, Serialization.Serialize(payload), TimeSpan.FromHours(1));

    /// <summary>The chunk indexes in the bundles earth sent from position <paramref name="from"/> of the link's log on.</summary>
    public IReadOnlyList<int> ChunksEarthSent(int from = 0) => Link.Sent.Skip(from)
        .Where(s => s.From == Link.A && BundleCodec.PeekHeader(s.Bytes)!.Kind == BundleKind.ArtifactChunk)
        .Select(s => Serialization.Deserialize<ArtifactChunkPayload>(BundleCodec.Open(s.Bytes, Nodes.Trust, "moon", Nodes.Time.GetUtcNow()).Bundle!.Payload).Index)
        .ToArray();

    /// <summary>The status bundles the moon sent from position <paramref name="from"/> of the link's log on.</summary>
    public IReadOnlyList<ArtifactStatusPayload> StatusesMoonSent(int from = 0) => Link.Sent.Skip(from)
        .Where(s => s.From == Link.B && BundleCodec.PeekHeader(s.Bytes)!.Kind == BundleKind.ArtifactStatus)
        .Select(s => Serialization.Deserialize<ArtifactStatusPayload>(BundleCodec.Open(s.Bytes, Nodes.Trust, "earth", Nodes.Time.GetUtcNow()).Bundle!.Payload))
        .ToArray();

    public void Dispose()
    {
        Earth.Dispose();
        Moon.Dispose();
        EarthReceiver.Dispose();
        MoonReceiver.Dispose();
        Nodes.Dispose();
        _dir.Dispose();
    }
}
