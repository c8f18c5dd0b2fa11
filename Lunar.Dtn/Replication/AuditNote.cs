namespace Lunar.Dtn.Replication;

/// <summary>What a local change writes to this replica's audit log.</summary>
public sealed record AuditNote(string Actor, string Action, string Details);
