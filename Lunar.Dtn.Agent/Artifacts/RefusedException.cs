namespace Lunar.Dtn.Agent.Artifacts;

/// <summary>A source broke the rules for the signed artifact (e.g. sent more bytes than asked): the download is refused with this reason.</summary>
public sealed class RefusedException(string reason) : Exception(reason);
