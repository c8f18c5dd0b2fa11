using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// An upgrade artifact, content-addressed: its id is its SHA-256. Immutable once written; a second
/// registration of the same hash is the same record (ties resolved deterministically).
/// </summary>
[MessagePackObject]
public sealed record ArtifactRecord(
    [property: Key(0)] string Id,
    [property: Key(1)] string Name,
    [property: Key(2)] string Version,
    [property: Key(3)] string Sha256,
    [property: Key(4)] long SizeBytes,
    [property: Key(5)] string Origin,
    [property: Key(6)] long CreatedAtMs);
