namespace Lunar.Dtn.Bpv7;

/// <summary>
/// Thrown inside the decoder to abandon a malformed input at the first broken rule; <see cref="Bpv7Codec"/>
/// turns it into a <see cref="Bpv7Rejection"/>, so no caller ever sees it.
/// </summary>
internal sealed class Bpv7FormatException(Bpv7RejectionCode code, string reason) : Exception(reason)
{
    public Bpv7Rejection Rejection { get; } = new(code, reason);
}
