using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>Withdraws one approval. Revocations form their own grow-only set; quorum is a function of both sets.</summary>
[MessagePackObject]
public sealed record ApprovalRevocation(
    [property: Key(0)] string Id,
    [property: Key(1)] string ApprovalId,
    [property: Key(2)] string RevokedBy,
    [property: Key(3)] long RevokedAtMs,
    [property: Key(4)] string Reason);
