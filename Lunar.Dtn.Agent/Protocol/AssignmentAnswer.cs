using Lunar.Dtn.Orchestration;

namespace Lunar.Dtn.Agent.Protocol;

/// <summary>The node's answer to a long poll: work (200), none yet (204), unknown agent (404), or no usable answer.</summary>
public sealed record AssignmentAnswer(Assignment? Assignment, bool UnknownAgent, string? Failure)
{
    public static readonly AssignmentAnswer None = new(null, false, null);
}
