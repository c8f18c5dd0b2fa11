namespace Lunar.Dtn.Links.Tcp;

/// <summary>One frame read from a connection.</summary>
public readonly record struct Frame(FrameType Type, byte[] Payload);
