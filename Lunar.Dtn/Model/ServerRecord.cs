using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>A server as replicated: inventory (owner-written LWW), upgrade status (single writer) and an operator note (LWW, anyone).</summary>
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
