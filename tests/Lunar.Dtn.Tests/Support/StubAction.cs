namespace Lunar.Dtn.Tests.Support;

/// <summary>What a test scripts the <see cref="StubExecutor"/> to do with one report instead of the normal rules.</summary>
public enum StubAction
{
    /// <summary>The normal rules.</summary>
    Normal,

    /// <summary>Answer 500, recording nothing (the node is restarting).</summary>
    ServerError,

    /// <summary>Record the report, then cut the connection before answering (the answer is lost).</summary>
    RecordThenDropAnswer,

    /// <summary>The node has just timed the server out: 409 with phase "timed-out", now and for every forward report after.</summary>
    TimeOut,
}
