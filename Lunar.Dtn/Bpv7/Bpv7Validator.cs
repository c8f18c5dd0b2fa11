namespace Lunar.Dtn.Bpv7;

/// <summary>
/// The rules of RFC 9171 about a bundle as a whole, beyond the shape of each block: one payload block, numbered 1
/// and last; unique block numbers; at most one of each extension block and its data well-formed; fragment fields
/// consistent; flags consistent; a primary block protected by a CRC or a BIB; a bundle age when there is no clock.
/// Returns every finding, so <c>bundle bpv7 inspect</c> can show what it tolerates as warnings.
/// </summary>
public static class Bpv7Validator
{
    private const BundleFlags ReportFlags = BundleFlags.ReportReception | BundleFlags.ReportForwarding | BundleFlags.ReportDelivery | BundleFlags.ReportDeletion;

    public static IReadOnlyList<Bpv7Rejection> Check(Bpv7Bundle bundle)
    {
        var findings = new List<Bpv7Rejection>();
        void Add(Bpv7RejectionCode code, string reason) => findings.Add(new Bpv7Rejection(code, reason));
        var p = bundle.Primary;
        var blocks = bundle.Blocks;

        var payloads = blocks.Count(b => b.IsPayload);
        if (payloads == 0) Add(Bpv7RejectionCode.MissingPayload, "the bundle has no payload block (type 1)");
        else if (payloads > 1) Add(Bpv7RejectionCode.DuplicateExtensionBlock, $"the bundle has {payloads} payload blocks; it must have exactly one");
        else if (!blocks[^1].IsPayload) Add(Bpv7RejectionCode.PayloadNotLast, "the payload block is not the last block (RFC 9171 §4.1)");
        foreach (var b in blocks)
        {
            if (b.IsPayload && b.Number != 1) Add(Bpv7RejectionCode.MalformedBlock, $"the payload block has number {b.Number}; it must be 1");
            if (b.Number == 0) Add(Bpv7RejectionCode.MalformedBlock, $"a {BlockTypes.NameOf(b.Type)} block (type {b.Type}) has number 0, which names the primary block");
        }
        foreach (var dup in blocks.GroupBy(b => b.Number).Where(g => g.Count() > 1))
            Add(Bpv7RejectionCode.DuplicateBlockNumber, $"block number {dup.Key} is used by {dup.Count()} blocks");
        foreach (var type in new[] { BlockTypes.PreviousNode, BlockTypes.BundleAge, BlockTypes.HopCount })
            if (blocks.Count(b => b.Type == type) > 1)
                Add(Bpv7RejectionCode.DuplicateExtensionBlock, $"more than one {BlockTypes.NameOf(type)} block (RFC 9171 §4.4 allows one)");

        CheckExtensions(bundle, Add);
        CheckFragment(bundle, Add);

        if (p.Source.IsNone && ((p.Flags & BundleFlags.MustNotFragment) == 0 || (p.Flags & ReportFlags) != 0))
            Add(Bpv7RejectionCode.InconsistentFlags, "an anonymous bundle (source dtn:none) must set must-not-fragment and request no status reports (RFC 9171 §4.2.3)");
        if ((p.Flags & BundleFlags.IsAdministrativeRecord) != 0 && (p.Flags & ReportFlags) != 0)
            Add(Bpv7RejectionCode.InconsistentFlags, "an administrative record must request no status reports (RFC 9171 §4.2.3)");

        if (p.CrcType == CrcType.None && !PrimaryUnderBib(bundle, Add))
            Add(Bpv7RejectionCode.UnprotectedPrimaryBlock, "the primary block has no CRC and no block-integrity block targets it (RFC 9171 §4.3.1)");
        if (p.Creation.Time == 0 && bundle.Find(BlockTypes.BundleAge) is null)
            Add(Bpv7RejectionCode.MissingBundleAge, "creation time is 0 (no clock) but there is no bundle-age block (RFC 9171 §4.4.2)");
        return findings;
    }

    private static void CheckExtensions(Bpv7Bundle bundle, Action<Bpv7RejectionCode, string> add)
    {
        foreach (var b in bundle.Blocks)
        {
            try
            {
                switch (b.Type)
                {
                    case BlockTypes.HopCount:
                        var hops = ExtensionBlocks.ReadHopCount(b.Data);
                        if (hops.Limit is < 1 or > 255) add(Bpv7RejectionCode.MalformedExtensionBlock, $"hop limit {hops.Limit} is outside 1–255 (RFC 9171 §4.4.3)");
                        break;
                    case BlockTypes.BundleAge: ExtensionBlocks.ReadBundleAge(b.Data); break;
                    case BlockTypes.PreviousNode: ExtensionBlocks.ReadPreviousNode(b.Data); break;
                }
            }
            catch (Bpv7FormatException ex) { add(ex.Rejection.Code, ex.Rejection.Reason); }
        }
    }

    private static void CheckFragment(Bpv7Bundle bundle, Action<Bpv7RejectionCode, string> add)
    {
        var p = bundle.Primary;
        if (!p.IsFragment) return;
        if ((p.Flags & BundleFlags.MustNotFragment) != 0) add(Bpv7RejectionCode.BadFragment, "a fragment of a bundle that must not be fragmented");
        var payload = (ulong)(bundle.Blocks.FirstOrDefault(b => b.IsPayload)?.Data.Length ?? 0);
        if (p.TotalAduLength is not { } total || p.FragmentOffset is not { } offset) return;
        if (offset >= total || payload > total - offset)
            add(Bpv7RejectionCode.BadFragment, $"fragment at offset {offset} with {payload} payload bytes does not fit the total length {total}");
    }

    /// <summary>Whether a block-integrity block names block 0 among its targets.</summary>
    private static bool PrimaryUnderBib(Bpv7Bundle bundle, Action<Bpv7RejectionCode, string> add)
    {
        // A BIB that a BCB encrypts is ciphertext: it cannot be read, so it cannot be counted on.
        var encrypted = new HashSet<ulong>();
        foreach (var bcb in bundle.Blocks.Where(b => b.Type == BlockTypes.BlockConfidentiality))
        {
            try { encrypted.UnionWith(ExtensionBlocks.ReadSecurityTargets(bcb.Data)); }
            catch (Bpv7FormatException ex) { add(ex.Rejection.Code, $"block {bcb.Number}: {ex.Rejection.Reason}"); }
        }
        foreach (var bib in bundle.Blocks.Where(b => b.Type == BlockTypes.BlockIntegrity && !encrypted.Contains(b.Number)))
        {
            try { if (ExtensionBlocks.ReadSecurityTargets(bib.Data).Contains(0UL)) return true; }
            catch (Bpv7FormatException ex) { add(ex.Rejection.Code, $"block {bib.Number}: {ex.Rejection.Reason}"); }
        }
        return false;
    }
}
