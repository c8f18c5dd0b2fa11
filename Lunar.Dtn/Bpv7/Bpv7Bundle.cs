namespace Lunar.Dtn.Bpv7;

/// <summary>A BPv7 bundle: the primary block and the canonical blocks in order, the payload block last.</summary>
public sealed record Bpv7Bundle(PrimaryBlock Primary, IReadOnlyList<CanonicalBlock> Blocks)
{
    public CanonicalBlock PayloadBlock => Blocks.Single(b => b.IsPayload);

    public byte[] Payload => PayloadBlock.Data;

    public CanonicalBlock? Find(ulong type) => Blocks.FirstOrDefault(b => b.Type == type);

    public HopCount? HopCount => Find(BlockTypes.HopCount) is { } b ? ExtensionBlocks.ReadHopCount(b.Data) : null;

    /// <summary>Milliseconds the bundle has spent in the network, from its bundle-age block; null without one.</summary>
    public ulong? AgeMilliseconds => Find(BlockTypes.BundleAge) is { } b ? ExtensionBlocks.ReadBundleAge(b.Data) : null;

    public EndpointId? PreviousNode => Find(BlockTypes.PreviousNode) is { } b ? ExtensionBlocks.ReadPreviousNode(b.Data) : null;

    /// <summary>A copy with <paramref name="blocks"/> in place of the canonical blocks.</summary>
    public Bpv7Bundle WithBlocks(IEnumerable<CanonicalBlock> blocks) => this with { Blocks = blocks.ToArray() };

    /// <summary>
    /// A new, unfragmented bundle with a payload and, when <paramref name="hopLimit"/> is given, a hop-count block;
    /// CRC-32C on the primary block (a bundle without a primary CRC is only valid under a BIB, which we do not add).
    /// </summary>
    public static Bpv7Bundle Create(EndpointId source, EndpointId destination, CreationTimestamp creation, TimeSpan lifetime,
        ReadOnlySpan<byte> payload, byte? hopLimit = null, BundleFlags flags = BundleFlags.None, CrcType crc = CrcType.Crc32C)
    {
        var primary = new PrimaryBlock(flags, crc, destination, source, source, creation, (ulong)lifetime.TotalMilliseconds);
        var blocks = new List<CanonicalBlock>();
        var next = 2UL;
        if (hopLimit is { } limit) blocks.Add(new CanonicalBlock(BlockTypes.HopCount, next++, BlockFlags.None, crc, ExtensionBlocks.WriteHopCount(new HopCount(limit, 0))));
        if (creation.Time == 0) blocks.Add(new CanonicalBlock(BlockTypes.BundleAge, next, BlockFlags.None, crc, ExtensionBlocks.WriteBundleAge(0)));
        blocks.Add(new CanonicalBlock(BlockTypes.Payload, 1, BlockFlags.None, crc, payload.ToArray()));
        return new Bpv7Bundle(primary, blocks);
    }
}
