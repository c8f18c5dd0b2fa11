using System.Formats.Cbor;

namespace Lunar.Dtn.Bpv7;

/// <summary>
/// The block-type-specific data of the extension blocks of RFC 9171 §4.4, each one CBOR item inside the block's
/// byte string: previous node (an endpoint id), bundle age (milliseconds), hop count ([limit, count]).
/// Readers throw <see cref="Bpv7FormatException"/> (inside the codec) on data that does not parse.
/// </summary>
public static class ExtensionBlocks
{
    public static byte[] WriteBundleAge(ulong milliseconds)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteUInt64(milliseconds);
        return w.Encode();
    }

    public static byte[] WriteHopCount(HopCount hops)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartArray(2);
        w.WriteUInt64(hops.Limit);
        w.WriteUInt64(hops.Count);
        w.WriteEndArray();
        return w.Encode();
    }

    public static byte[] WritePreviousNode(EndpointId node)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        Bpv7Writer.WriteEndpoint(w, node);
        return w.Encode();
    }

    public static ulong ReadBundleAge(byte[] data) => ReadWhole(data, "bundle-age", r => Bpv7Reader.UInt(r, "bundle age"));

    public static HopCount ReadHopCount(byte[] data) => ReadWhole(data, "hop-count", r =>
    {
        Bpv7Reader.StartArray(r, 2, "hop count");
        var hops = new HopCount(Bpv7Reader.UInt(r, "hop limit"), Bpv7Reader.UInt(r, "hop count"));
        r.ReadEndArray();
        return hops;
    });

    public static EndpointId ReadPreviousNode(byte[] data) => ReadWhole(data, "previous-node", r => Bpv7Reader.Endpoint(r, "previous node"));

    /// <summary>The target block numbers of a block-integrity or -confidentiality block (RFC 9172 §3.6: the first item of its data).</summary>
    public static IReadOnlyList<ulong> ReadSecurityTargets(byte[] data)
    {
        try
        {
            var r = new CborReader(data, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
            var n = r.ReadStartArray() ?? throw new Bpv7FormatException(Bpv7RejectionCode.MalformedExtensionBlock, "security targets are not a definite-length array");
            if (n > data.Length) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedExtensionBlock, "security target list longer than its block");
            var targets = new List<ulong>(n);
            for (var i = 0; i < n; i++) targets.Add(Bpv7Reader.UInt(r, "security target"));
            return targets;
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
        {
            throw new Bpv7FormatException(Bpv7RejectionCode.MalformedExtensionBlock, $"security block data is not an abstract security block ({ex.Message})");
        }
    }

    private static T ReadWhole<T>(byte[] data, string block, Func<CborReader, T> read)
    {
        try
        {
            var r = new CborReader(data, CborConformanceMode.Lax);
            var value = read(r);
            if (r.BytesRemaining != 0) throw new Bpv7FormatException(Bpv7RejectionCode.MalformedExtensionBlock, $"{block} block data has {r.BytesRemaining} bytes after its value");
            return value;
        }
        catch (Bpv7FormatException ex)
        {
            throw new Bpv7FormatException(Bpv7RejectionCode.MalformedExtensionBlock, $"{block} block data: {ex.Message}");
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
        {
            throw new Bpv7FormatException(Bpv7RejectionCode.MalformedExtensionBlock, $"{block} block data is not valid CBOR ({ex.Message})");
        }
    }
}
