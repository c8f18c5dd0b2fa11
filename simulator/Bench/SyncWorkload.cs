namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// A parsed sync workload: the shared starting point (<see cref="Inits"/>) and the changes made on either
/// side during the cut-off (<see cref="Changes"/>, in file order).
/// </summary>
public sealed record SyncWorkload(string Source, WorkloadMeta? Meta, IReadOnlyList<WorkloadInit> Inits, IReadOnlyList<WorkloadChange> Changes)
{
    public IEnumerable<WorkloadTransition> Transitions => Changes.OfType<WorkloadTransition>();

    public IEnumerable<WorkloadHold> Holds => Changes.OfType<WorkloadHold>();
}
