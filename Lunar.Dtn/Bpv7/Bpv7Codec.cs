using System.Formats.Cbor;

namespace Lunar.Dtn.Bpv7;

/// <summary>
/// RFC 9171 bundles to bytes and back. <see cref="Decode"/> is strict: a bundle comes back only if its CBOR is
/// well-formed and deterministic, every CRC matches and every rule of <see cref="Bpv7Validator"/> holds; otherwise
/// the first broken rule, with a sentence. Decoding never throws and never reads past the input.
/// </summary>
public static class Bpv7Codec
{
    /// <summary>Largest bundle accepted (a relay holds bundles for days; ours are at most a few MB).</summary>
    public const int MaxBundleBytes = 80 * 1024 * 1024;

    public static byte[] Encode(Bpv7Bundle bundle) => Bpv7Writer.Encode(bundle);

    /// <summary>
    /// Structure, CRCs and validity: what a node accepts. A primary block with neither CRC nor BIB breaks RFC 9171
    /// §4.3.1, yet µD3TN, ESA BP and bp7-rs accept it (the ION issue #52 bundle is one), so it is refused only with
    /// <paramref name="requireProtectedPrimary"/>; every other finding of <see cref="Bpv7Validator"/> refuses.
    /// </summary>
    public static Bpv7DecodeResult Decode(ReadOnlyMemory<byte> input, bool requireProtectedPrimary = false)
    {
        var parsed = Parse(input);
        if (!parsed.IsValid) return parsed;
        var findings = Bpv7Validator.Check(parsed.Bundle).Where(f => requireProtectedPrimary || f.Code != Bpv7RejectionCode.UnprotectedPrimaryBlock).ToArray();
        return findings.Length == 0 ? parsed : Bpv7DecodeResult.Refused(findings[0]);
    }

    /// <summary>
    /// Structure and CRCs only (no whole-bundle rules): for inspection, and for the RFC 9173 examples, whose bundles
    /// are byte-exact references but carry an unprotected primary block (see the vectors' README).
    /// </summary>
    public static Bpv7DecodeResult Parse(ReadOnlyMemory<byte> input)
    {
        if (input.Length == 0) return Bpv7DecodeResult.Refused(Bpv7RejectionCode.Truncated, "the input is empty");
        if (input.Length > MaxBundleBytes) return Bpv7DecodeResult.Refused(Bpv7RejectionCode.TooLarge, $"{input.Length} bytes exceeds the limit of {MaxBundleBytes}");
        try
        {
            return Bpv7DecodeResult.Valid(Bpv7Reader.Parse(input));
        }
        catch (Bpv7FormatException ex)
        {
            return Bpv7DecodeResult.Refused(ex.Rejection);
        }
        catch (CborContentException ex) when (EndOfDataMessages.Contains(ex.Message))
        {
            return Bpv7DecodeResult.Refused(Bpv7RejectionCode.Truncated, $"the input ends inside the bundle, after {input.Length} bytes");
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return Bpv7DecodeResult.Refused(Bpv7RejectionCode.MalformedCbor, $"not well-formed CBOR: {ex.Message}");
        }
    }

    /// <summary>
    /// The reader's messages for running out of input — an item cut short, or a length that reaches past the end —
    /// taken from the reader itself: they tell "truncated" from "malformed" without depending on the wording.
    /// </summary>
    private static readonly HashSet<string> EndOfDataMessages = [ReadPastEnd(r => r.ReadUInt64(), 0x18), ReadPastEnd(r => r.ReadStartArray(), 0x82), ReadPastEnd(r => r.ReadByteString(), 0x42, 0)];

    private static string ReadPastEnd(Action<CborReader> read, params byte[] input)
    {
        try
        {
            read(new CborReader(input));
            return "";
        }
        catch (CborContentException ex) { return ex.Message; }
    }
}
