namespace Lunar.Dtn.Tests.Properties;

/// <summary>What one step of a simulated script does: a local write by one replica, or a delivery to it.</summary>
public enum SimOpKind
{
    DefineField,
    Control,
    RegisterArtifact,
    Approve,
    Revoke,
    SetInventory,
    SetStatus,
    SetNote,
    /// <summary>A constellation version (one of two numbers, one of two contents: same-number rivals are common).</summary>
    RecordConstellation,
    /// <summary>The replica receives one delta already written by anyone (any order, duplicates allowed).</summary>
    Deliver,
    /// <summary>The replica joins another replica's whole current state.</summary>
    SyncFrom,
}
