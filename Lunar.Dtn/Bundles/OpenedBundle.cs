namespace Lunar.Dtn.Bundles;

/// <summary>A bundle whose framing, signer, signature, destination and expiry have been checked; the payload is decompressed but not yet parsed.</summary>
public sealed record OpenedBundle(BundleHeader Header, ReadOnlyMemory<byte> Payload, int WireLength);
