using System.Diagnostics.CodeAnalysis;

namespace Lunar.Dtn.Bpv7;

/// <summary>The outcome of decoding: a bundle, or the reason it was refused. Decoding never throws.</summary>
public sealed record Bpv7DecodeResult(Bpv7Bundle? Bundle, Bpv7Rejection? Rejection)
{
    [MemberNotNullWhen(true, nameof(Bundle))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Bundle is not null;

    public static Bpv7DecodeResult Valid(Bpv7Bundle bundle) => new(bundle, null);

    public static Bpv7DecodeResult Refused(Bpv7RejectionCode code, string reason) => new(null, new Bpv7Rejection(code, reason));

    public static Bpv7DecodeResult Refused(Bpv7Rejection rejection) => new(null, rejection);
}
