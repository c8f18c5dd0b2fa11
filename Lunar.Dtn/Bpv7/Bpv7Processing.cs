namespace Lunar.Dtn.Bpv7;

/// <summary>
/// What a node does with a valid bundle it receives and forwards (RFC 9171 §5.4–5.6): refuse it when its lifetime
/// is over or its hop limit is exceeded; handle each block it cannot process as that block's flags say (delete the
/// bundle, drop the block, or keep it and forward it unchanged); and, on forwarding, count the hop, add the time it
/// spent here to its bundle age and name this node as the previous node.
/// </summary>
public static class Bpv7Processing
{
    /// <summary>
    /// When the bundle expires: creation time plus lifetime, or — without a clock at the source (creation time 0) —
    /// <paramref name="receivedAt"/> plus what is left of its lifetime after its bundle age.
    /// </summary>
    public static DateTimeOffset ExpiresAt(Bpv7Bundle bundle, DateTimeOffset receivedAt)
    {
        var p = bundle.Primary;
        if (p.Creation.Time != 0)
            return p.Lifetime > ulong.MaxValue - p.Creation.Time ? DateTimeOffset.MaxValue : DtnTime.ToDateTime(p.Creation.Time + p.Lifetime);
        var age = bundle.AgeMilliseconds ?? 0;
        var left = age >= p.Lifetime ? 0 : p.Lifetime - age;
        return left > (ulong)(DateTimeOffset.MaxValue - receivedAt).TotalMilliseconds ? DateTimeOffset.MaxValue : receivedAt.AddMilliseconds(left);
    }

    /// <summary>
    /// Checks a just-received bundle and applies its unknown blocks' flags. Returns the bundle to keep (blocks flagged
    /// "discard if unprocessable" removed) or the reason to delete it.
    /// </summary>
    public static Bpv7DecodeResult OnReceive(Bpv7Bundle bundle, DateTimeOffset now, DateTimeOffset? receivedAt = null)
    {
        var expires = ExpiresAt(bundle, receivedAt ?? now);
        if (expires <= now)
            return Bpv7DecodeResult.Refused(Bpv7RejectionCode.Expired, $"lifetime of {bundle.Primary.Lifetime} ms ended at {expires:O}");
        if (bundle.HopCount is { Exceeded: true } hops)
            return Bpv7DecodeResult.Refused(Bpv7RejectionCode.HopLimitExceeded, $"hop count {hops.Count} exceeds its limit {hops.Limit}");
        var kept = new List<CanonicalBlock>(bundle.Blocks.Count);
        foreach (var block in bundle.Blocks)
        {
            if (BlockTypes.IsKnown(block.Type)) { kept.Add(block); continue; }
            if ((block.Flags & BlockFlags.DeleteBundleIfUnprocessable) != 0)
                return Bpv7DecodeResult.Refused(Bpv7RejectionCode.UnprocessableBlock, $"block {block.Number} has unknown type {block.Type} and asks that the bundle be deleted when it cannot be processed");
            if ((block.Flags & BlockFlags.DiscardBlockIfUnprocessable) != 0) continue;
            kept.Add(block); // not understood, but its flags say keep it: forwarded as it came
        }
        return Bpv7DecodeResult.Valid(kept.Count == bundle.Blocks.Count ? bundle : bundle.WithBlocks(kept));
    }

    /// <summary>
    /// The bundle as this node sends it on: hop count + 1, bundle age + <paramref name="dwell"/>, previous node =
    /// <paramref name="self"/> (replacing the previous one, or added before the payload). Every other block is untouched.
    /// </summary>
    public static Bpv7Bundle ForForwarding(Bpv7Bundle bundle, EndpointId self, TimeSpan dwell)
    {
        var blocks = new List<CanonicalBlock>(bundle.Blocks.Count + 1);
        var hadPrevious = false;
        foreach (var block in bundle.Blocks)
        {
            switch (block.Type)
            {
                case BlockTypes.HopCount:
                    var hops = ExtensionBlocks.ReadHopCount(block.Data);
                    blocks.Add(block with { Data = ExtensionBlocks.WriteHopCount(hops with { Count = hops.Count + 1 }) });
                    break;
                case BlockTypes.BundleAge:
                    var age = ExtensionBlocks.ReadBundleAge(block.Data);
                    blocks.Add(block with { Data = ExtensionBlocks.WriteBundleAge(age + (ulong)Math.Max(0, dwell.TotalMilliseconds)) });
                    break;
                case BlockTypes.PreviousNode:
                    hadPrevious = true;
                    blocks.Add(block with { Data = ExtensionBlocks.WritePreviousNode(self.NodeId) });
                    break;
                case BlockTypes.Payload when !hadPrevious:
                    var number = bundle.Blocks.Max(b => b.Number) + 1;
                    blocks.Add(new CanonicalBlock(BlockTypes.PreviousNode, number, BlockFlags.None, block.CrcType, ExtensionBlocks.WritePreviousNode(self.NodeId)));
                    blocks.Add(block);
                    break;
                default:
                    blocks.Add(block);
                    break;
            }
        }
        return bundle.WithBlocks(blocks);
    }
}
