namespace Lunar.Dtn.Hosting.Access;

/// <summary>The answer of GET /api/v1/me.</summary>
public sealed record MeView(string Id, string Kind, string Role, int ConstellationVersion, DateTimeOffset? TlsNotAfter);
