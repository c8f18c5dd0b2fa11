namespace Lunar.Dtn.Replication;

/// <summary>
/// What became of a constellation version submitted on this replica: recorded (and adopted, replicating to every
/// peer), already known (the same signed version: nothing to do), or refused with the reason.
/// </summary>
public sealed record ConstellationOutcome(bool Recorded, string? Problem)
{
    public bool AlreadyKnown => !Recorded && Problem is null;
}
