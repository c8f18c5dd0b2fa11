using Lunar.Dtn.Crdt;
using Lunar.Dtn.Model;

namespace Lunar.Dtn.Hosting;

/// <summary>One audit entry as JSON.</summary>
public sealed record AuditView(DateTimeOffset Time, string Replica, long Index, string Actor, string Action, string Details, string Hash, string PrevHash)
{
    public static AuditView Of(AuditEntry a) =>
        new(new HlcTimestamp(a.Stamp).Wall, a.Replica, a.Index, a.Actor, a.Action, a.Details, a.Hash(), a.PrevHash);
}
