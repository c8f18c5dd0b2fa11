namespace Lunar.Dtn.Agent.Protocol;

/// <summary>What the node made of one report.</summary>
public enum ReportAnswerKind
{
    /// <summary>200: recorded now, or earlier (duplicate: a retry after a lost answer).</summary>
    Acknowledged,

    /// <summary>409: out of order, stale attempt, or the node has already timed the server out; see the node's phase.</summary>
    Conflict,

    /// <summary>404: the node does not know this agent; register again.</summary>
    UnknownAgent,

    /// <summary>Any other 4xx: the report itself is wrong; retrying cannot help.</summary>
    Rejected,

    /// <summary>No answer, a 5xx or a 429: the node is restarting or overloaded; retry.</summary>
    Transient,
}
