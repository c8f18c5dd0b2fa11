namespace Lunar.Dtn.Hosting;

/// <summary>The JSON answer to POST /api/v1/agents/{id}/report: the server, the phase recorded, and whether it was a repeat of a report already recorded.</summary>
public sealed record AgentReportResult(string ServerId, string Phase, bool Duplicate);
