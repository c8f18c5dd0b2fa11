using System.Globalization;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// One signed constellation version as replicated: its number and the canonical JSON the root signed.
/// Immutable and keyed by the zero-padded version (<see cref="KeyFor"/>), so the map orders by version;
/// a second record under one version is the same record (ties resolved deterministically, like artifacts).
/// What it may contain, and when a replica adopts it, is the chain rule (Replication/ConstellationChain).
/// </summary>
[MessagePackObject]
public sealed record ConstellationRecord(
    [property: Key(0)] int Version,
    [property: Key(1)] byte[] Json)
{
    public static string KeyFor(int version) => version.ToString("D10", CultureInfo.InvariantCulture);

    [IgnoreMember] public string MapKey => KeyFor(Version);
}
