namespace Lunar.Dtn.Hosting;

/// <summary>The JSON of GET /healthz and /healthz/ready; <see cref="Vector"/> (total deltas known) only when ready.</summary>
public sealed record HealthView(string Status, long? Vector);
