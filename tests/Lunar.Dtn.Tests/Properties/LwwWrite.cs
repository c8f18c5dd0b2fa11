using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>A write to one last-writer-wins register ("campaign/c1/name"), kept to measure ties.</summary>
public sealed record LwwWrite(string Register, HlcTimestamp Stamp, string Writer, string ValueHex);
