namespace Lunar.Dtn.Bpv7;

/// <summary>
/// Fragmentation (RFC 9171 §5.8): splits a bundle's payload into fragments of at most a given size. Each fragment
/// is a valid bundle with the fragment flag, its offset and the total length; blocks flagged "replicate in every
/// fragment" travel in every fragment, every other extension block only in the first.
/// </summary>
public static class Bpv7Fragmentation
{
    /// <summary>The fragments, in order; the bundle itself when its payload already fits. Throws when fragmentation is not allowed.</summary>
    public static IReadOnlyList<Bpv7Bundle> Fragment(Bpv7Bundle bundle, int maxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        var p = bundle.Primary;
        var payload = bundle.PayloadBlock;
        if (payload.Data.Length <= maxPayloadBytes) return [bundle];
        if ((p.Flags & BundleFlags.MustNotFragment) != 0) throw new InvalidOperationException("the bundle's flags say it must not be fragmented");
        // A fragment of a fragment keeps offsets relative to the original application data unit.
        var baseOffset = p.FragmentOffset ?? 0;
        var total = p.TotalAduLength ?? (ulong)payload.Data.Length;
        var fragments = new List<Bpv7Bundle>();
        for (var at = 0; at < payload.Data.Length; at += maxPayloadBytes)
        {
            var first = at == 0;
            var length = Math.Min(maxPayloadBytes, payload.Data.Length - at);
            var primary = p with { Flags = p.Flags | BundleFlags.IsFragment, FragmentOffset = baseOffset + (ulong)at, TotalAduLength = total };
            var blocks = bundle.Blocks
                .Where(b => !b.IsPayload && (first || (b.Flags & BlockFlags.ReplicateInEveryFragment) != 0))
                .Append(payload with { Data = payload.Data.AsSpan(at, length).ToArray() })
                .ToArray();
            fragments.Add(new Bpv7Bundle(primary, blocks));
        }
        return fragments;
    }
}
