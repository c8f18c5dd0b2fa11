using Lunar.Dtn.Replication;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// The outcome of a simulated script: every delta written, each replica's own (partial) view at the end,
/// and logs of the register writes, from which the generator-quality tests measure ties and concurrency.
/// </summary>
public sealed class Scenario(
    IReadOnlyList<string> replicaIds,
    IReadOnlyList<SimOp> ops,
    IReadOnlyList<SimDelta> deltas,
    IReadOnlyList<ReplicaState> views,
    IReadOnlyList<LwwWrite> lwwWrites,
    IReadOnlyList<StatusWrite> statusWrites)
{
    public IReadOnlyList<string> ReplicaIds { get; } = replicaIds;
    public IReadOnlyList<SimOp> Ops { get; } = ops;
    public IReadOnlyList<SimDelta> Deltas { get; } = deltas;
    public IReadOnlyList<ReplicaState> Views { get; } = views;
    public IReadOnlyList<LwwWrite> LwwWrites { get; } = lwwWrites;
    public IReadOnlyList<StatusWrite> StatusWrites { get; } = statusWrites;

    /// <summary>Every state the scenario produced: each replica's view and each single delta.</summary>
    public IReadOnlyList<ReplicaState> Pool => [.. Views, .. Deltas.Select(d => d.Fragment)];

    private ReplicaState? _joined;

    /// <summary>The join of every delta: what all replicas reach once everything is delivered (shared: never merge into it).</summary>
    public ReplicaState JoinAll() => _joined ??= Canon.Join(Deltas.Select(d => d.Fragment));

    public override string ToString() =>
        $"replicas [{string.Join(", ", ReplicaIds)}], script: {string.Join("; ", Ops)}";
}
