namespace Lunar.Dtn.Agent.Runner;

/// <summary>A 409 from the node about one attempt: the node's own view of the server's phase, and why.</summary>
public sealed record NodeVerdict(string AttemptKey, string NodePhase, string Detail)
{
    /// <summary>The node considers the attempt finished (complete or rolled back): there is nothing left to tell it.</summary>
    public bool IsFinal => NodePhase is "complete" or "rolled-back";
}
