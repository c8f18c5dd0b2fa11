namespace Lunar.Dtn.Bpv7;

/// <summary>
/// Reassembles fragments (RFC 9171 §5.9) keyed by source and creation timestamp: any order, duplicates and
/// overlaps allowed. When the fragments cover the whole application data unit it returns the original bundle:
/// the primary block without fragment fields and the blocks of the fragment at offset 0. Bounded: a total
/// length over <see cref="MaxAduBytes"/> is refused, and at most <see cref="MaxPending"/> bundles are pending
/// (the oldest is dropped to make room).
/// </summary>
public sealed class Bpv7Reassembly
{
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int MaxAduBytes { get; init; } = Bpv7Codec.MaxBundleBytes;

    public int MaxPending { get; init; } = 256;

    public int PendingCount => _pending.Count;

    /// <summary>
    /// Adds a bundle. An unfragmented bundle comes straight back; a fragment returns the whole bundle once the last
    /// missing piece has arrived, else null. Throws <see cref="ArgumentException"/> for a fragment that contradicts earlier ones.
    /// </summary>
    public Bpv7Bundle? Add(Bpv7Bundle bundle)
    {
        var p = bundle.Primary;
        if (!p.IsFragment) return bundle;
        var total = p.TotalAduLength!.Value;
        var offset = p.FragmentOffset!.Value;
        if (total > (ulong)MaxAduBytes) throw new ArgumentException($"total length {total} exceeds the reassembly limit of {MaxAduBytes}", nameof(bundle));
        var key = p.BundleKey;
        if (!_pending.TryGetValue(key, out var pending))
        {
            while (_pending.Count >= MaxPending && _order.TryDequeue(out var oldest)) _pending.Remove(oldest);
            pending = new Pending(new byte[total], total);
            _pending[key] = pending;
            _order.Enqueue(key);
        }
        if (pending.Total != total) throw new ArgumentException($"fragment says the total length is {total}; an earlier fragment of {key} said {pending.Total}", nameof(bundle));
        var data = bundle.Payload;
        data.CopyTo(pending.Adu, (long)offset);
        pending.Cover(offset, offset + (ulong)data.Length);
        if (offset == 0) pending.First = bundle;
        if (!pending.Complete || pending.First is null) return null;
        _pending.Remove(key);
        var first = pending.First;
        var primary = first.Primary with { Flags = first.Primary.Flags & ~BundleFlags.IsFragment, FragmentOffset = null, TotalAduLength = null };
        var blocks = first.Blocks.Select(b => b.IsPayload ? b with { Data = pending.Adu } : b).ToArray();
        return new Bpv7Bundle(primary, blocks);
    }

    private sealed class Pending(byte[] adu, ulong total)
    {
        private readonly List<(ulong From, ulong To)> _covered = [];

        public byte[] Adu { get; } = adu;

        public ulong Total { get; } = total;

        public Bpv7Bundle? First { get; set; }

        public bool Complete => _covered.Count == 1 && _covered[0].From == 0 && _covered[0].To == Total;

        /// <summary>Merges [from, to) into the sorted, disjoint covered ranges.</summary>
        public void Cover(ulong from, ulong to)
        {
            _covered.Add((from, to));
            _covered.Sort();
            var merged = new List<(ulong From, ulong To)>();
            foreach (var r in _covered)
            {
                if (merged.Count > 0 && r.From <= merged[^1].To) merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, r.To));
                else merged.Add(r);
            }
            _covered.Clear();
            _covered.AddRange(merged);
        }
    }
}
