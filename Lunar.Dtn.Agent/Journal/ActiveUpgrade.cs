using Lunar.Dtn.Orchestration;

namespace Lunar.Dtn.Agent.Journal;

/// <summary>
/// The assignment being carried out and how far it got. <see cref="Phase"/> is written before the phase's work starts,
/// so after a crash it names the step that may have been interrupted.
/// </summary>
/// <param name="NextSeq">The seq of this attempt's next report (the node numbers reports per attempt from 1).</param>
/// <param name="Applied">The apply step was started: a failure from now on needs the rollback hook.</param>
/// <param name="PreviousVersion">The version installed before this attempt, kept for rollback (null: unknown).</param>
/// <param name="Done">Nothing is left to do on the server (complete, rolled back, or a rollback that failed): only reports may be unacknowledged.</param>
public sealed record ActiveUpgrade(Assignment Assignment, string Phase, long NextSeq, bool Applied, string? PreviousVersion, bool Done = false)
{
    public string Key => AttemptKey.Of(Assignment.CampaignId, Assignment.Attempt);
}
