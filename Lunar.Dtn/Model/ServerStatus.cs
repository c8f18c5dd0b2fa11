using Lunar.Dtn.Crdt;
using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>
/// A server's upgrade status. Single writer (the owning executor): the highest (attempt, sequence) wins,
/// where <see cref="Seq"/> counts that writer's updates to this server. Six transitions of one server
/// therefore cross a link as one final state.
/// </summary>
[MessagePackObject]
public sealed record ServerStatus(
    [property: Key(0)] string CampaignId,
    [property: Key(1)] int Attempt,
    [property: Key(2)] long Seq,
    [property: Key(3)] UpgradePhase Phase,
    [property: Key(4)] long SinceMs,
    [property: Key(5)] string? Version,
    [property: Key(6)] string? Detail,
    [property: Key(7)] int RollbackCount)
{
    public static ServerStatus? Merge(ServerStatus? a, ServerStatus? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var c = a.Attempt.CompareTo(b.Attempt);
        if (c == 0) c = a.Seq.CompareTo(b.Seq);
        if (c == 0) c = ValueOrder.Compare(a, b);
        return c >= 0 ? a : b;
    }
}
