namespace Lunar.Dtn.Agent.Journal;

/// <summary>Everything the agent must remember across a crash or restart (the whole journal file).</summary>
public sealed record JournalState
{
    /// <summary>The inventory the node last acknowledged (see <see cref="Runner.Registrar.Inventory"/>); null: never registered.</summary>
    public string? RegisteredAs { get; init; }

    /// <summary>The version this agent last installed and declared complete; null until its first upgrade.</summary>
    public string? InstalledVersion { get; init; }

    /// <summary>The assignment in progress, if any.</summary>
    public ActiveUpgrade? Current { get; init; }

    /// <summary>Reports written but not yet acknowledged by the node, oldest first; re-sent first after a restart.</summary>
    public IReadOnlyList<PendingReport> Pending { get; init; } = [];

    /// <summary>Attempts this agent has finished ("campaign/attempt"), newest last, so a node still showing one is not run twice.</summary>
    public IReadOnlyList<string> Finished { get; init; } = [];
}
