using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// A server as replicated: inventory (owner-written LWW), upgrade status (single writer) and an operator note (LWW, anyone).
/// Its equality is by value all the way down (records of scalars and strings only, no collections), so two
/// records are equal exactly when their canonical bytes are; merges rely on that to skip serialising.
/// </summary>
[MessagePackObject]
public sealed record ServerRecord(
    [property: Key(0)] ServerInventory? Inventory,
    [property: Key(1)] ServerStatus? Status,
    [property: Key(2)] LwwRegister<string>? Note)
{
    public static ServerRecord Merge(ServerRecord? a, ServerRecord b)
    {
        if (a is null) return b;
        return new ServerRecord(
            ServerInventory.Merge(a.Inventory, b.Inventory),
            ServerStatus.Merge(a.Status, b.Status),
            LwwRegister<string>.Merge(a.Note, b.Note));
    }
}
