namespace Lunar.Dtn.Simulator.Bench;

/// <summary>A status transition of one server, made on replica A during the cut-off. Version is set on the last step only.</summary>
public sealed record WorkloadTransition(int Line, string Id, int Wave, int Step, string Status, long Ts, string? Version)
    : WorkloadChange(Line, Id)
{
    public override long AtMs => Ts;
}
