namespace Lunar.Dtn.Hosting;

/// <summary>Who this node is, for endpoints that answer differently per role.</summary>
public sealed record NodeIdentity(string Id, NodeRole Role);
