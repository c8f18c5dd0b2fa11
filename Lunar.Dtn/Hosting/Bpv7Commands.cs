using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lunar.Dtn.Bpv7;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// <c>bundle bpv7 inspect FILE</c> (contract section 8): one BPv7 bundle, raw or as hex text, printed as JSON.
/// It describes, it does not judge delivery: an unprotected primary block is a warning on stderr and an expired
/// lifetime is shown, not refused. A bundle that breaks the format exits 2 with one line saying why.
/// </summary>
public static class Bpv7Commands
{
    public static Command Command()
    {
        var file = new Argument<string>("FILE") { Description = "A file holding one BPv7 bundle: raw CBOR bytes, or hex text" };
        var inspect = new Command("inspect", "Print one BPv7 bundle as JSON (primary block, blocks with types, numbers, flags, CRC types and lengths); exit 2 with the reason when it is invalid") { file };
        inspect.SetAction(parse => Inspect(parse.GetValue(file)!, Console.Out, Console.Error, TimeProvider.System.GetUtcNow()));
        return new Command("bpv7", "Bundle Protocol version 7 (RFC 9171) bundles, as a DTN relay carries ours") { inspect };
    }

    /// <summary>The verb itself: 0 and the JSON on <paramref name="output"/>; 2 and one line on <paramref name="errors"/> when invalid.</summary>
    public static int Inspect(string path, TextWriter output, TextWriter errors, DateTimeOffset now)
    {
        byte[] bytes;
        try { bytes = ReadBundleFile(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            errors.WriteLine($"cannot read {path}: {ex.Message}");
            return 2;
        }
        var parsed = Bpv7Codec.Parse(bytes);
        if (!parsed.IsValid)
        {
            errors.WriteLine($"invalid BPv7 bundle: {parsed.Rejection}");
            return 2;
        }
        var findings = Bpv7Validator.Check(parsed.Bundle);
        var fatal = findings.FirstOrDefault(f => f.Code != Bpv7RejectionCode.UnprotectedPrimaryBlock);
        if (fatal is not null)
        {
            errors.WriteLine($"invalid BPv7 bundle: {fatal}");
            return 2;
        }
        if (parsed.Bundle.Primary.CrcType == CrcType.None)
            errors.WriteLine(findings.Count > 0
                ? "warning: the primary block has CRC type 0 and no block-integrity block protects it (RFC 9171 §4.3.1)"
                : "warning: the primary block has CRC type 0 (protected by a block-integrity block)");
        var json = Describe(parsed.Bundle, bytes.Length, now);
        if (json["primary"]!["expired"]!.GetValue<bool>()) errors.WriteLine($"warning: the bundle's lifetime ended at {json["primary"]!["expiresAt"]}");
        output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return 0;
    }

    /// <summary>Raw bytes, or hex text (whitespace and an optional 0x ignored): a bundle starts with 0x9F, never with a hex digit.</summary>
    public static byte[] ReadBundleFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes[0] == 0x9F || !bytes.All(b => b < 0x80)) return bytes;
        var text = new string(Encoding.ASCII.GetString(bytes).Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        if (text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
            throw new FormatException("it is neither a binary bundle (first byte 0x9F) nor hex text");
        return Convert.FromHexString(text);
    }

    private static JsonObject Describe(Bpv7Bundle bundle, int size, DateTimeOffset now)
    {
        var p = bundle.Primary;
        var expires = Bpv7Processing.ExpiresAt(bundle, now);
        var primary = new JsonObject
        {
            ["version"] = PrimaryBlock.Version,
            ["flags"] = (ulong)p.Flags,
            ["flagNames"] = new JsonArray(FlagNames(p.Flags).Select(n => (JsonNode)n).ToArray()),
            ["crcType"] = (int)p.CrcType,
            ["destination"] = p.Destination.ToString(),
            ["source"] = p.Source.ToString(),
            ["reportTo"] = p.ReportTo.ToString(),
            ["creationTime"] = p.Creation.Time,
            ["creationTimeUtc"] = p.Creation.Time == 0 ? null : DtnTime.ToDateTime(p.Creation.Time).ToString("O"),
            ["sequence"] = p.Creation.Sequence,
            ["lifetime"] = p.Lifetime,
            ["expiresAt"] = expires.ToString("O"),
            ["expired"] = expires <= now,
        };
        if (p.IsFragment)
        {
            primary["fragmentOffset"] = p.FragmentOffset;
            primary["totalAduLength"] = p.TotalAduLength;
        }
        var blocks = new JsonArray();
        foreach (var b in bundle.Blocks)
        {
            var block = new JsonObject
            {
                ["type"] = b.Type,
                ["typeName"] = BlockTypes.NameOf(b.Type),
                ["number"] = b.Number,
                ["flags"] = (ulong)b.Flags,
                ["crcType"] = (int)b.CrcType,
                ["length"] = b.Data.Length,
            };
            switch (b.Type)
            {
                case BlockTypes.HopCount: block["hopLimit"] = bundle.HopCount!.Value.Limit; block["hopCount"] = bundle.HopCount!.Value.Count; break;
                case BlockTypes.BundleAge: block["bundleAge"] = bundle.AgeMilliseconds; break;
                case BlockTypes.PreviousNode: block["previousNode"] = bundle.PreviousNode!.ToString(); break;
                case BlockTypes.BlockIntegrity or BlockTypes.BlockConfidentiality:
                    try { block["targets"] = new JsonArray(ExtensionBlocks.ReadSecurityTargets(b.Data).Select(t => (JsonNode)t).ToArray()); }
                    catch (Bpv7FormatException) { block["targets"] = null; } // ciphertext under a BCB
                    break;
            }
            blocks.Add(block);
        }
        return new JsonObject { ["size"] = size, ["primary"] = primary, ["blocks"] = blocks, ["payloadLength"] = bundle.Payload.Length };
    }

    /// <summary>The names of the known flags that are set, and any other bits as one hex number.</summary>
    private static IEnumerable<string> FlagNames(BundleFlags flags)
    {
        var known = Enum.GetValues<BundleFlags>().Where(f => f != BundleFlags.None).ToArray();
        foreach (var f in known.Where(f => (flags & f) == f)) yield return f.ToString();
        var rest = (ulong)flags & ~known.Aggregate(0UL, (acc, f) => acc | (ulong)f);
        if (rest != 0) yield return $"0x{rest:x}";
    }
}
