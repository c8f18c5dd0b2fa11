namespace Lunar.Dtn.Hosting;

/// <summary>The JSON answer to POST /api/v1/agents/{id}/report: the server and the phase recorded.</summary>
public sealed record AgentReportResult(string ServerId, string Phase);
