namespace Lunar.Dtn.Simulator.Bench;

/// <summary>One change made while the replicas are cut off from each other (a transition on A or a hold on B).</summary>
public abstract record WorkloadChange(int Line, string Id)
{
    /// <summary>The wall-clock time of the change, in milliseconds since the Unix epoch.</summary>
    public abstract long AtMs { get; }
}
