using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>A daily window (UTC, "HH:mm") inside which Tier 2 servers may start; it may wrap midnight.</summary>
[MessagePackObject]
public sealed record MaintenanceWindow([property: Key(0)] string Start, [property: Key(1)] string End);
