namespace Lunar.Dtn.Simulator.Invariants;

/// <summary>One broken invariant: which, when (virtual time), where, and what happened.</summary>
public sealed record Violation(string Invariant, DateTimeOffset At, string Where, string What)
{
    public override string ToString() => $"{Invariant} at {At:O} on {Where}: {What}";
}
