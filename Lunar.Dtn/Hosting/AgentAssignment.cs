namespace Lunar.Dtn.Hosting;

/// <summary>The JSON of GET /api/v1/agents/{id}/assignment: the server and its next assignment (none yet in this round).</summary>
public sealed record AgentAssignment(string ServerId, object? Assignment);
