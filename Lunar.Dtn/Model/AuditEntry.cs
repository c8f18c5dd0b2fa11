using System.Security.Cryptography;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// One entry of a replica's append-only audit log. Entries of one replica are hash-chained
/// (<see cref="PrevHash"/> is the hash of the previous entry), travel inside that replica's signed
/// deltas, and are shown merged with every other replica's, ordered by hybrid time.
/// </summary>
[MessagePackObject]
public sealed record AuditEntry(
    [property: Key(0)] string Replica,
    [property: Key(1)] long Index,
    [property: Key(2)] long Stamp,
    [property: Key(3)] string Actor,
    [property: Key(4)] string Action,
    [property: Key(5)] string Details,
    [property: Key(6)] string PrevHash)
{
    public const string GenesisHash = "0000000000000000";

    public string Hash() =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{Replica}\n{Index}\n{Stamp}\n{Actor}\n{Action}\n{Details}\n{PrevHash}")))[..16];

    [IgnoreMember] public string Key => $"{Replica}:{Index:D12}";
}
