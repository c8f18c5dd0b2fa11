namespace Lunar.Dtn.Simulator.Bench;

/// <summary>An operator hold note on one server, written on replica B during the cut-off.</summary>
public sealed record WorkloadHold(int Line, string Id, string Hold, long HoldTs) : WorkloadChange(Line, Id)
{
    public override long AtMs => HoldTs;
}
