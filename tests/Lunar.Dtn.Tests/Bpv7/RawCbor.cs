using System.Formats.Cbor;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Tests.Bpv7;

/// <summary>Hand-built CBOR for bundles that break a rule on purpose (the codec's writer only writes well-formed blocks).</summary>
public static class RawCbor
{
    /// <summary>An indefinite-length bundle array around already encoded blocks.</summary>
    public static byte[] Bundle(params byte[][] blocks) => [0x9F, .. blocks.SelectMany(b => b), 0xFF];

    /// <summary>A primary block without CRC, with each field overridable.</summary>
    public static byte[] Primary(ulong version = 7, ulong flags = 0, ulong crcType = 0, ulong destScheme = 2, ulong creationTime = 800_000_000_000, int? fields = null)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartArray(fields ?? 8);
        w.WriteUInt64(version);
        w.WriteUInt64(flags);
        w.WriteUInt64(crcType);
        w.WriteStartArray(2); w.WriteUInt64(destScheme); w.WriteStartArray(2); w.WriteUInt64(2); w.WriteUInt64(7); w.WriteEndArray(); w.WriteEndArray();
        Eid(w); Eid(w);
        w.WriteStartArray(2); w.WriteUInt64(creationTime); w.WriteUInt64(0); w.WriteEndArray();
        w.WriteUInt64(86_400_000);
        for (var i = 8; i < (fields ?? 8); i++) w.WriteUInt64(0);
        w.WriteEndArray();
        return w.Encode();

        static void Eid(CborWriter w) { w.WriteStartArray(2); w.WriteUInt64(2); w.WriteStartArray(2); w.WriteUInt64(1); w.WriteUInt64(7); w.WriteEndArray(); w.WriteEndArray(); }
    }

    public static byte[] Block(ulong type, ulong number, byte[] data, ulong flags = 0) =>
        Bpv7Writer.EncodeCanonical(new CanonicalBlock(type, number, (BlockFlags)flags, CrcType.None, data));

    public static byte[] Payload(string text = "hi") => Block(BlockTypes.Payload, 1, System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>A valid bundle from ipn:1.7 to ipn:2.7 with CRC-32C, a hop-count block and the given payload.</summary>
    public static Bpv7Bundle Sample(int payloadBytes = 64, ulong creation = 850_000_000_000) =>
        Bpv7Bundle.Create(EndpointId.Ipn(1, 7), EndpointId.Ipn(2, 7), new CreationTimestamp(creation, 3), TimeSpan.FromDays(30),
            Enumerable.Range(0, payloadBytes).Select(i => (byte)i).ToArray(), hopLimit: 16);
}
