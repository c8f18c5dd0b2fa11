namespace Lunar.Dtn.Hosting.Metrics;

/// <summary>
/// The JSON of GET /healthz/ready: ready or not, the deltas the replica knows, and each check by name
/// (store, executor on executing nodes, links) with what it found.
/// </summary>
public sealed record ReadinessView(string Status, long? Vector, IReadOnlyDictionary<string, string> Checks);
