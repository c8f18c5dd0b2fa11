using FsCheck;
using FsCheck.Fluent;
using Lunar.Dtn.Crdt;

namespace Lunar.Dtn.Tests.Properties;

/// <summary>Version vectors over six streams with small sequence numbers, so vectors overlap, tie and cross.</summary>
public static class VectorGen
{
    private static readonly StreamId[] Streams =
        ReplicaSimulation.ReplicaPool[..3].SelectMany(id => new[] { new StreamId(id, Channel.Control), new StreamId(id, Channel.Status) }).ToArray();

    public static Gen<VersionVector> Vectors { get; } =
        from entries in (from stream in Gen.Elements(Streams) from seq in Gen.Choose(0, 4) select new VectorEntry(stream, seq)).ListOf()
        select new VersionVector(entries);
}
