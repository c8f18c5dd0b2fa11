namespace Lunar.Dtn.Hosting;

/// <summary>The JSON of POST /api/v1/emergency-stop: the campaigns it paused.</summary>
public sealed record EmergencyStopResult(IReadOnlyList<string> Stopped);
