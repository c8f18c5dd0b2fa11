namespace Lunar.Dtn.Simulator.Bench;

/// <summary>The workload's first line: how it was generated. Informational only.</summary>
public sealed record WorkloadMeta(int Servers, long Seed, int Wave, IReadOnlyList<string> States, double HoldFraction);
