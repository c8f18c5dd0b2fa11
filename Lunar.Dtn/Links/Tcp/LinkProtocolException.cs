namespace Lunar.Dtn.Links.Tcp;

/// <summary>The peer broke the link protocol (garbage, oversized frame, bad proof); the connection is cut.</summary>
public sealed class LinkProtocolException(string message) : Exception(message);
