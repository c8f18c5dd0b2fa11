using Lunar.Dtn.Bundles;
using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Transfer;

/// <summary>Seals artifact chunk and status bundles with the node's key, like every other bundle.</summary>
public static class ArtifactBundles
{
    // Bundle ids are for logs and inspection; chunks are idempotent by (artifact, index), so this only has to be unique enough.
    private static long _sequence = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + 700_000;

    public static byte[] Seal(Replica replica, string destination, BundleKind kind, byte[] payload, TimeSpan lifetime)
    {
        var now = replica.Time.GetUtcNow();
        var header = new BundleHeader(BundleHeader.CurrentFormat, replica.Id, Interlocked.Increment(ref _sequence), destination,
            replica.Now().Value, (now + lifetime).ToUnixTimeMilliseconds(), kind, BundlePriority.Bulk, PayloadCompression.None, 0);
        return BundleCodec.Seal(header, payload, replica.Key);
    }

    public static bool IsArtifactKind(BundleKind kind) => kind is BundleKind.ArtifactChunk or BundleKind.ArtifactStatus;
}
