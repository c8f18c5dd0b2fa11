namespace Lunar.Dtn.Bpv7;

/// <summary>A refused bundle: what rule it broke, in a sentence that names the block and the value.</summary>
public sealed record Bpv7Rejection(Bpv7RejectionCode Code, string Reason)
{
    public override string ToString() => $"{Code}: {Reason}";
}
